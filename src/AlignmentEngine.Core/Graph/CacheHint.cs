using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Asks the processor to start loading the cache line of an array element that will be read soon. A wave over tens of
/// thousands of goals scattered over million-row columns waits on one cache miss after another; asked for a few goals
/// ahead, the loads overlap instead. A hint only: it reads nothing, never faults (an address the array has left, or
/// one past its end, is simply not loaded), and does nothing where the processor has no prefetch instruction.
/// </summary>
internal static class CacheHint
{
    /// <summary>The line of element <paramref name="index"/>, and the next one too where a wide element straddles two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(T[] column, int index)
    {
        if (!Sse.IsSupported) return;
        var first = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(column), index));
        Sse.Prefetch0(first);

        // Elements of up to 8 bytes never straddle (array data is 8-byte aligned); the size is a constant to the JIT.
        if (Unsafe.SizeOf<T>() > 8) Sse.Prefetch0(first + Unsafe.SizeOf<T>() - 1);
    }

    /// <summary>
    /// The start of an object (a string's length and first characters). Its address is read from the reference, not
    /// through it: not even a null check touches the object, so the hint does not wait for it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object reference)
    {
        if (!Sse.IsSupported) return;
        Sse.Prefetch0(*(void**)Unsafe.AsPointer(ref reference));
    }
}
