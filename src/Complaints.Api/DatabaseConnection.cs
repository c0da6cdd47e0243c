namespace Complaints.Api;

public static class DatabaseConnection
{
    public const string Name = "Complaints";

    /// <summary>Read when the store is built, so that a test host's or a command line's settings take effect.</summary>
    public static string Require(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(Name);
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__Complaints (or ConnectionStrings:Complaints in appsettings.json), " +
                "or start the API with ./build.sh --target=Run, which starts a local PostgreSQL.")
            : connectionString;
    }
}
