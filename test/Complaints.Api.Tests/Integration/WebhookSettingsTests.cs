using Complaints.Api.Identity;
using Complaints.Api.Integration;
using Microsoft.Extensions.Configuration;
using Shouldly;

namespace Complaints.Api.Tests.Integration;

/// <summary>A webhook is delivered over https with a secret to sign by; anything less stops the start with its reason.</summary>
public sealed class WebhookSettingsTests
{
    private const string Secret = "a-secret-of-sixteen-bytes-or-more";

    /// <summary>The webhook "crm" with these settings; ("Switch", _) turns the development keys on.</summary>
    private static WebhookSettings Read(params (string Key, string Value)[] values)
    {
        var settings = values.Select(v => v.Key == "Switch"
            ? KeyValuePair.Create(DevelopmentKeys.Switch, (string?)"true")
            : KeyValuePair.Create("Complaints:Webhooks:Endpoints:crm:" + v.Key, (string?)v.Value));
        return WebhookSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    [Fact]
    public void an_https_webhook_with_a_secret_is_taken() =>
        Read(("Url", "https://crm.example/hooks"), ("Secret", Secret)).Find("crm")!.Secret.ShouldBe(Secret);

    [Theory]
    [InlineData("http://crm.example/hooks", "deliveries go over https only")]
    [InlineData("ftp://crm.example/hooks", "give an absolute https URL")]
    [InlineData("/hooks", "give an absolute https URL")]
    public void a_webhook_not_over_https_is_refused(string url, string reason) =>
        Should.Throw<StartRefused>(() => Read(("Url", url), ("Secret", Secret))).Message.ShouldContain(reason);

    [Fact]
    public void plain_http_is_only_for_this_machine_on_a_developers_machine()
    {
        Should.Throw<StartRefused>(() => Read(("Url", "http://127.0.0.1:9000/hooks"), ("Secret", Secret)));
        Read(("Url", "http://127.0.0.1:9000/hooks"), ("Secret", Secret), ("Switch", "true")).Find("crm").ShouldNotBeNull();
        Should.Throw<StartRefused>(() => Read(("Url", "http://crm.example/hooks"), ("Secret", Secret), ("Switch", "true")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    public void a_webhook_without_a_secret_of_16_bytes_is_refused(string? secret) =>
        Should.Throw<StartRefused>(() => Read(secret is null ? [("Url", "https://crm.example/hooks")] : [("Url", "https://crm.example/hooks"), ("Secret", secret)]))
            .Message.ShouldContain("Secret is needed");

    [Fact]
    public void the_signature_covers_the_time_of_the_attempt_and_the_body()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);
        var signature = WebhookDeliveryHandler.Signature(Secret, at, """{"id":1}""");

        signature.ShouldStartWith("t=1764000000,v1=");
        WebhookDeliveryHandler.Signature(Secret, at.AddSeconds(1), """{"id":1}""").ShouldNotBe(signature);
        WebhookDeliveryHandler.Signature(Secret, at, """{"id":2}""").ShouldNotBe(signature);
        WebhookDeliveryHandler.Signature(Secret + "x", at, """{"id":1}""").ShouldNotBe(signature);
    }
}
