using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlignmentEngine.Storage.Tests.Support;
using AlignmentEngine.Tests.Shared;
using static AlignmentEngine.Storage.Tests.Support.Requests;

namespace AlignmentEngine.EndToEnd.Tests;

/// <summary>
/// <c>okr serve --dashboard</c>: the Orleans dashboard's page and data on an endpoint of its own, over HTTP, and on no
/// other; without the option no listener is opened for it.
/// </summary>
public sealed partial class DashboardTests
{
    [Test]
    public async Task Dashboard_ServesThePageAndTheClustersData_OnItsOwnEndpointOnly()
    {
        using var server = OkrServer.Start(new SqliteProvider().NewLocation(), "--http-address", "127.0.0.1:0", "--dashboard", "127.0.0.1:0");
        var match = DashboardLine().Match(server.StartLine);
        match.Success.Should().BeTrue(server.StartLine);
        var dashboard = new Uri(match.Groups[1].Value);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using (var page = await http.GetAsync(dashboard))
        {
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            (await page.Content.ReadAsStringAsync()).Should().Contain("index.min.js", "the page loads the dashboard's script");
        }

        // A call activates the tenant's grain; the dashboard's counters (sampled each second) come to show it.
        await server.Client.ApplyChangesAsync(Changes("board", Upsert(Goals.Objective("C1"))));
        JsonElement counters = default;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            counters = JsonDocument.Parse(await http.GetStringAsync(new Uri(dashboard, "DashboardCounters"))).RootElement;
            if (counters.GetProperty("simpleGrainStats").EnumerateArray().Any(s => s.GetProperty("grainType").GetString()!.EndsWith("TenantGrain", StringComparison.Ordinal))) break;
            await Task.Delay(500);
        }

        counters.GetProperty("hosts").EnumerateArray().Should().ContainSingle(h => h.GetProperty("status").GetString() == "Active");
        counters.GetProperty("simpleGrainStats").EnumerateArray()
            .Should().Contain(s => s.GetProperty("grainType").GetString()!.EndsWith("TenantGrain", StringComparison.Ordinal) && s.GetProperty("activationCount").GetInt32() == 1);

        // Neither endpoint serves the other's paths.
        (await http.GetAsync(new Uri(server.HttpAddress!, "DashboardCounters"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync(server.HttpAddress!)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync(new Uri(dashboard, "openapi/v1.json"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync(new Uri(server.HttpAddress!, "openapi/v1.json"))).StatusCode.Should().Be(HttpStatusCode.OK);

        ProcessSockets.ListeningPorts(server.ProcessId).Except([server.Port, server.HttpAddress!.Port, dashboard.Port]).Should().ContainSingle("besides the fronts and the dashboard, only the silo listens");
    }

    [Test]
    public void NoDashboardOption_NoListenerForIt()
    {
        using var server = OkrServer.Start(new SqliteProvider().NewLocation(), "--http-address", "127.0.0.1:0");

        server.StartLine.Should().NotContain("dashboard");
        ProcessSockets.ListeningPorts(server.ProcessId).Except([server.Port, server.HttpAddress!.Port]).Should().ContainSingle("besides the fronts, only the silo listens");
    }

    [Test]
    public void Dashboard_OffTheLoopbackWithoutAllowCleartext_IsRefused()
    {
        var (exitCode, error) = OkrServer.Refused(new SqliteProvider().NewLocation(), "127.0.0.1:0", "--dashboard", "0.0.0.0:0");

        exitCode.Should().Be(2);
        error.Should().StartWith("okr serve: --dashboard 0.0.0.0:0 is not a loopback address, and the dashboard has no authentication of its own");
    }

    [GeneratedRegex(@"Orleans dashboard on (http://[^\s]+/)")]
    private static partial Regex DashboardLine();
}
