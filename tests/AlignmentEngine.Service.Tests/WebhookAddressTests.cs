using System.Net;
using AlignmentEngine.Service.Webhooks;

namespace AlignmentEngine.Service.Tests;

/// <summary>Where webhooks may go without --allow-insecure-webhooks: https, public addresses, checked after resolving.</summary>
public sealed class WebhookAddressTests
{
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("100.64.0.1")]
    [TestCase("0.0.0.0")]
    [TestCase("fd00::1")]
    [TestCase("fe80::1")]
    [TestCase("::ffff:127.0.0.1")]
    public void PrivateLoopbackAndLinkLocalAddresses_AreRefused(string address) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address)).Should().NotBeNull();

    [TestCase("93.184.215.14")]
    [TestCase("172.32.0.1")]
    [TestCase("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    public void PublicAddresses_AreAllowed(string address) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address)).Should().BeNull();

    [Test]
    public void OnlyHttps_UnlessInsecureTargetsAreAllowed()
    {
        WebhookAddresses.UrlRefusal("http://example.com/hook", allowInsecure: false).Should().Contain("not https");
        WebhookAddresses.UrlRefusal("http://example.com/hook", allowInsecure: true).Should().BeNull();
        WebhookAddresses.UrlRefusal("https://user:pw@example.com/hook", allowInsecure: false).Should().Contain("user name");
        WebhookAddresses.UrlRefusal("not a url", allowInsecure: true).Should().NotBeNull();
    }

    [Test]
    public async Task ANameThatResolvesToLoopback_IsRefused()
    {
        (await WebhookAddresses.HostRefusalAsync(new Uri("https://localhost/hook"), allowInsecure: false, CancellationToken.None))
            .Should().Contain("loopback");
        (await WebhookAddresses.HostRefusalAsync(new Uri("https://localhost/hook"), allowInsecure: true, CancellationToken.None)).Should().BeNull();
    }
}
