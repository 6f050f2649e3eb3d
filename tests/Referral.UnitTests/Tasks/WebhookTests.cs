using System.Net;
using Referral.Modules.Tasks;

namespace Referral.UnitTests.Tasks;

public sealed class WebhookTests
{
    [Fact]
    public void The_signature_follows_Standard_Webhooks()
    {
        // The specification's example (standard-webhooks, "Verifying webhook authenticity").
        var signature = WebhookSigning.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Theory]
    [InlineData("http://example.org/hook", "must be https")]
    [InlineData("https://127.0.0.1/hook", "public address")]
    [InlineData("https://10.1.2.3/hook", "public address")]
    [InlineData("https://192.168.0.10/hook", "public address")]
    [InlineData("https://172.20.0.1/hook", "public address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "public address")]
    [InlineData("https://[::1]/hook", "public address")]
    [InlineData("https://[fd00::1]/hook", "public address")]
    [InlineData("https://localhost/hook", "public address")]
    [InlineData("ftp://example.org/hook", "http(s)")]
    [InlineData("https://user:pw@93.184.216.34/hook", "credentials")]
    public async Task Outside_Development_a_receiver_must_be_https_on_a_public_address(string url, string reason)
    {
        Assert.Contains(reason, await WebhookAddress.RefusalAsync(url, allowPrivate: false, CancellationToken.None), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://93.184.216.34/hook", false)]
    [InlineData("http://127.0.0.1:5000/hook", true)]
    public async Task Public_https_receivers_and_in_Development_loopback_ones_are_accepted(string url, bool allowPrivate)
    {
        Assert.Null(await WebhookAddress.RefusalAsync(url, allowPrivate, CancellationToken.None));
    }

    [Theory]
    [InlineData("100.64.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Private_addresses_are_recognised(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, WebhookAddress.IsPrivate(IPAddress.Parse(address)));
}
