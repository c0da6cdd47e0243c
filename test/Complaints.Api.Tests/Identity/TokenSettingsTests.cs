using Complaints.Api.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.FileProviders;
using Shouldly;

namespace Complaints.Api.Tests.Identity;

public sealed class TokenSettingsTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Complaints.Api";
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void production_refuses_to_start_with_the_development_key()
    {
        Should.Throw<InvalidOperationException>(() => TokenSettings.Read(Settings(), new Environment(Environments.Production)))
            .Message.ShouldContain("development key is refused");
        Should.Throw<InvalidOperationException>(() => TokenSettings.Read(
            Settings(("Authentication:Issuer", "https://id.example"), ("Authentication:SigningKey", TokenSettings.DevelopmentKey)),
            new Environment(Environments.Production)));
    }

    [Fact]
    public void production_takes_its_own_issuer_audience_and_key()
    {
        var settings = TokenSettings.Read(Settings(("Authentication:Issuer", "https://id.example"), ("Authentication:Audience", "complaints"),
            ("Authentication:SigningKey", new string('k', 48))), new Environment(Environments.Production));
        settings.Issuer.ShouldBe("https://id.example");
        settings.Audience.ShouldBe("complaints");
    }

    [Fact]
    public void a_key_shorter_than_32_bytes_is_refused() =>
        Should.Throw<InvalidOperationException>(() => TokenSettings.Read(
            Settings(("Authentication:SigningKey", "short")), new Environment(Environments.Development)));
}
