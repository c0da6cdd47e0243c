using Complaints.Api.Identity;
using Microsoft.Extensions.Configuration;
using Shouldly;

namespace Complaints.Api.Tests.Identity;

/// <summary>The signing key: configured, or the development key only when asked for and on loopback alone.</summary>
public sealed class TokenSettingsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static readonly (string, string) Development = (DevelopmentKeys.Switch, "true");

    [Fact]
    public void without_a_configured_key_the_development_key_is_refused_unless_asked_for()
    {
        Should.Throw<StartRefused>(() => TokenSettings.Read(Settings())).Message.ShouldContain("Authentication:SigningKey is not configured");
        // Configured as the key itself, it is still the development key.
        Should.Throw<StartRefused>(() => TokenSettings.Read(
            Settings(("Authentication:Issuer", "https://id.example"), ("Authentication:SigningKey", TokenSettings.DevelopmentKey))));
        TokenSettings.Read(Settings(Development)).SigningKey.ShouldBe(TokenSettings.DevelopmentKey);
    }

    [Theory]
    [InlineData("urls", "http://0.0.0.0:8080")]
    [InlineData("urls", "http://127.0.0.1:5080;http://*:8080")]
    [InlineData("urls", "http://+:8080")]
    [InlineData("urls", "http://[::]:8080")]
    [InlineData("urls", "http://complaints.example:8080")]
    [InlineData("http_ports", "8080")]
    [InlineData("Kestrel:Endpoints:Public:Url", "http://10.0.0.5:8080")]
    public void the_development_key_is_refused_to_an_api_listening_beyond_loopback(string setting, string value) =>
        Should.Throw<StartRefused>(() => TokenSettings.Read(Settings(Development, (setting, value)))).Message.ShouldContain("only for an API listening on loopback");

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080;http://[::1]:5080")]
    [InlineData("https://127.0.0.2:443")]
    public void the_development_key_serves_an_api_on_loopback(string urls) =>
        TokenSettings.Read(Settings(Development, ("urls", urls))).SigningKey.ShouldBe(TokenSettings.DevelopmentKey);

    [Fact]
    public void a_configured_key_is_taken_with_its_own_issuer_and_audience_wherever_the_api_listens()
    {
        var settings = TokenSettings.Read(Settings(("Authentication:Issuer", "https://id.example"), ("Authentication:Audience", "complaints"),
            ("Authentication:SigningKey", new string('k', 48)), ("urls", "http://0.0.0.0:8080")));
        settings.Issuer.ShouldBe("https://id.example");
        settings.Audience.ShouldBe("complaints");
    }

    [Fact]
    public void a_configured_key_needs_32_bytes_and_an_issuer_of_its_own()
    {
        Should.Throw<StartRefused>(() => TokenSettings.Read(Settings(("Authentication:Issuer", "https://id.example"), ("Authentication:SigningKey", "short"))));
        Should.Throw<StartRefused>(() => TokenSettings.Read(Settings(("Authentication:SigningKey", new string('k', 48)))))
            .Message.ShouldContain("Authentication:Issuer");
    }
}
