using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// Allocates the graph's long columns and asks the operating system to back them with 2 MB pages (Linux transparent
/// huge pages, <c>madvise(MADV_COLLAPSE)</c>). A wave that reaches goals scattered over million-row columns misses not
/// only the data cache but the processor's cache of address translations: with 4 KB pages nearly every such read
/// also walks the page tables (in a virtual machine, two sets of them). With 2 MB pages one translation covers 512
/// times as much of a column, and a million-goal table's hot columns fit the translation cache.
/// </summary>
/// <remarks>
/// A hint, like <see cref="CacheHint"/>: nothing computed depends on it. It is asked for columns of at least
/// <see cref="MinBytes"/> only, so a small tenant's memory is never rounded up to 2 MB pages. The whole 2 MB pages
/// that a column touches are asked for: its neighbours on the large-object heap (the graph's other columns, as a rule)
/// share its first and last page. A 2 MB page can be backed only once all of it is committed heap in one mapping, and
/// when a column is allocated the runtime has often committed little past its end: the graph asks again for all its
/// columns once it is built (<c>AlignmentGraph.BackColumnsWithLargePages</c>), when its neighbours exist. Where the
/// kernel has no such pages or refuses (older than Linux 6.1, huge pages disabled for the process, memory too
/// fragmented), the column stays an ordinary array on 4 KB pages. The switch
/// <c>AlignmentEngine.DisableLargePages</c> (runtimeconfig.json, <see cref="AppContext"/>) turns the request off.
/// A column is not pinned: if the collector ever moved it (it compacts the large-object heap only when asked to),
/// the copy would lose its 2 MB pages, never its contents.
/// </remarks>
internal static partial class LargePages
{
    /// <summary>Columns at least this large are backed by 2 MB pages (a million-goal table's one-byte columns are).</summary>
    public const int MinBytes = 512 * 1024;

    /// <summary>The <see cref="AppContext"/> switch that turns the request off.</summary>
    public const string DisableSwitch = "AlignmentEngine.DisableLargePages";

    private const long PageSize = 2 * 1024 * 1024;
    private const int AdviceCollapse = 25; // MADV_COLLAPSE, Linux 6.1 and later

    // Cleared for good when the C library has no madvise (not Linux, or no glibc/musl symbol).
    private static bool s_available = OperatingSystem.IsLinux();

    /// <summary>A zeroed column of <paramref name="length"/> elements, on 2 MB pages when it is large.</summary>
    public static T[] Allocate<T>(int length)
    {
        var column = new T[length];
        TryBack(column);
        return column;
    }

    /// <summary>Replaces <paramref name="column"/> by a longer copy, on 2 MB pages when it is large (asked before the copy, so the data is copied once).</summary>
    public static void Grow<T>(ref T[] column, int length)
    {
        var longer = Allocate<T>(length);
        Array.Copy(column, longer, Math.Min(column.Length, length));
        column = longer;
    }

    /// <summary>
    /// Asks for each 2 MB page <paramref name="column"/> touches to be a huge page now, one at a time, so that a page
    /// refused does not stop the others. Returns the bytes of those the kernel backed (or were already): none for a small
    /// column or when switched off. A page at either end may be refused while part of it is not yet committed heap.
    /// </summary>
    public static unsafe long TryBack<T>(T[] column)
    {
        var bytes = (long)column.Length * Unsafe.SizeOf<T>();
        if (!s_available || bytes < MinBytes || (AppContext.TryGetSwitch(DisableSwitch, out var off) && off)) return 0;
        var start = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(column));
        var first = start & ~(PageSize - 1);
        var end = (start + bytes + PageSize - 1) & ~(PageSize - 1);
        try
        {
            var backed = 0L;
            for (var page = first; page < end; page += PageSize)
            {
                if (Madvise((nint)page, (nuint)PageSize, AdviceCollapse) == 0) backed += PageSize;
            }

            return backed;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
