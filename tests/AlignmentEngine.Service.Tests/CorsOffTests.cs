using System.Net;

namespace AlignmentEngine.Service.Tests;

/// <summary>With no <c>--cors-origin</c>, no page of any origin may call: no CORS header is ever sent.</summary>
public sealed class CorsOffTests : ServerFixture
{
    protected override void ConfigureHost(GrpcServerHostOptions host) => host.HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0);

    [Test]
    public async Task NoOriginConfigured_PreflightAndCallCarryNoCorsHeader()
    {
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(HttpAddress, "okr.alignment.v1.AlignmentService/GetRollup"));
        preflight.Headers.Add("Origin", "https://dashboard.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(HttpAddress, "v1/tenants/none/goals/C1"));
        get.Headers.Add("Origin", "https://dashboard.example.com");

        using var preflightResponse = await http.SendAsync(preflight);
        using var getResponse = await http.SendAsync(get);

        preflightResponse.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        getResponse.StatusCode.Should().Be(HttpStatusCode.NotFound, "the call itself is answered; only the browser withholds it from the page");
        getResponse.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }
}
