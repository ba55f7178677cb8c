using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The graph's long columns are backed by 2 MB pages where Linux has them (<see cref="LargePages"/>): the kernel's own
/// flags of the pages under a column (/proc/self/pagemap, /proc/kpageflags) show them huge once it is asked, and the
/// column's contents are what they were.
/// </summary>
public sealed class LargePagesTests
{
    private const long HugePage = 2 * 1024 * 1024;

    [Test]
    public void AskingForLargePages_UnderAColumnOnSmallPages_BacksItsWholePagesAndKeepsItsContents()
    {
        RequireTransparentHugePages();

        // Allocated as an ordinary array and written, so that it sits on 4 KB pages before it is asked.
        var column = new double[3 * 1024 * 1024];
        for (var i = 0; i < column.Length; i++) column[i] = i * 0.5;
        var (start, end) = Range(column);
        var interior = (end & ~(HugePage - 1)) - ((start + HugePage - 1) & ~(HugePage - 1));

        LargePages.TryBack(column).Should().BeGreaterThanOrEqualTo(interior, "a kernel with transparent huge pages backs the whole pages of a committed column");

        HugePagesInside(start, end).Should().HaveCount((int)(interior / HugePage)).And.OnlyContain(huge => huge, "every whole 2 MB page inside the column is a huge page now");
        for (var i = 0; i < column.Length; i++)
        {
            if (column[i] != i * 0.5) Assert.Fail($"element {i} is {column[i]}, not {i * 0.5}");
        }
    }

    [Test]
    public void AColumnAllocatedLarge_IsZeroedAndItsWholePagesCanAllBeHuge()
    {
        RequireTransparentHugePages();

        // Asked for when allocated; a page the runtime had not committed whole yet is backed when asked again, as the
        // graph does once built.
        var column = LargePages.Allocate<int>(4 * 1024 * 1024);
        column.Should().HaveCount(4 * 1024 * 1024).And.OnlyContain(x => x == 0);
        LargePages.TryBack(column);
        var (start, end) = Range(column);

        HugePagesInside(start, end).Should().HaveCountGreaterThanOrEqualTo(7).And.OnlyContain(huge => huge, "a 16 MB column spans at least seven whole 2 MB pages");
    }

    [Test]
    public void ASmallColumn_IsLeftOnOrdinaryPages()
    {
        LargePages.TryBack(new double[1000]).Should().Be(0, "8 KB is far below the size from which 2 MB pages are asked for");
        LargePages.TryBack(new double[(LargePages.MinBytes / sizeof(double)) - 1]).Should().Be(0, "just below that size");
    }

    [Test]
    public void WithTheSwitchOff_NoColumnIsMovedToLargePages()
    {
        RequireTransparentHugePages();
        var column = new double[3 * 1024 * 1024];
        column.AsSpan().Fill(1);
        var (start, end) = Range(column);
        var before = HugePagesInside(start, end);

        AppContext.SetSwitch(LargePages.DisableSwitch, true);
        try
        {
            LargePages.TryBack(column).Should().Be(0, "the switch turns the request off");
            HugePagesInside(start, end).Should().Equal(before, "nothing under the column changed");
            LargePages.Allocate<double>(3 * 1024 * 1024).Length.Should().Be(3 * 1024 * 1024, "a column is allocated all the same");
        }
        finally
        {
            AppContext.SetSwitch(LargePages.DisableSwitch, false);
        }
    }

    private static void RequireTransparentHugePages()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("2 MB pages are asked of Linux only; elsewhere columns are ordinary arrays");
        if (Environment.OSVersion.Version < new Version(6, 1)) Assert.Ignore($"Linux {Environment.OSVersion.Version} is older than 6.1, which added MADV_COLLAPSE");
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!File.Exists(setting)) Assert.Ignore("this kernel has no transparent huge pages");
        if (File.ReadAllText(setting).Contains("[never]", StringComparison.Ordinal)) Assert.Ignore("transparent huge pages are off on this machine ([never])");
    }

    private static (long Start, long End) Range<T>(T[] column)
        where T : unmanaged
    {
        var handle = GCHandle.Alloc(column, GCHandleType.Pinned);
        try
        {
            var start = (long)handle.AddrOfPinnedObject();
            return (start, start + ((long)column.Length * Unsafe.SizeOf<T>()));
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// Whether each whole 2 MB page inside [start, end) is a transparent huge page, from the kernel's page flags: the
    /// physical page under each one's first 4 KB (/proc/self/pagemap) and its THP flag (/proc/kpageflags, bit 22).
    /// </summary>
    private static bool[] HugePagesInside(long start, long end)
    {
        const long smallPage = 4096;
        var pages = new List<bool>();
        using var pageMap = File.OpenRead("/proc/self/pagemap");
        using var pageFlags = File.OpenRead("/proc/kpageflags");
        Span<byte> entry = stackalloc byte[8];
        for (var page = (start + HugePage - 1) & ~(HugePage - 1); page + HugePage <= end; page += HugePage)
        {
            pageMap.Position = page / smallPage * 8;
            pageMap.ReadExactly(entry);
            var mapped = BitConverter.ToUInt64(entry);
            var frame = (long)(mapped & ((1UL << 55) - 1));
            if (mapped >> 63 == 0) Assert.Fail($"the column's page at {page:X} is not in memory");
            if (frame == 0) Assert.Ignore("reading which pages are huge needs root (the kernel hides physical frames from others)");
            pageFlags.Position = frame * 8;
            pageFlags.ReadExactly(entry);
            pages.Add(((BitConverter.ToUInt64(entry) >> 22) & 1) == 1);
        }

        return [.. pages];
    }
}
