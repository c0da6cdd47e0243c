using Microsoft.AspNetCore.OutputCaching;

namespace Complaints.Api.Analytics;

/// <summary>
/// Analytics answers are aggregates over whole tables that change only as the projection daemon catches up, and
/// dashboards ask the same questions over and over. Each answer is kept for a few seconds
/// (Complaints:Analytics:CacheSeconds; 0 turns it off) per URL and query, and one request computes it while the others
/// wait for it. The answer then carries an Age header: how many seconds old it is. The authorization of each request
/// is checked before the cache is consulted, and every role allowed to read analytics sees the same figures.
/// </summary>
public sealed class AnalyticsCache(TimeSpan keep) : IOutputCachePolicy
{
    public const string Policy = "analytics";
    public const int DefaultSeconds = 5;

    /// <summary>Read when the options are first needed, so that configuration given to a host under test counts.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddOutputCache();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<OutputCacheOptions>>(provider =>
            new Microsoft.Extensions.Options.ConfigureOptions<OutputCacheOptions>(options =>
            {
                var seconds = provider.GetRequiredService<IConfiguration>().GetValue("Complaints:Analytics:CacheSeconds", DefaultSeconds);
                if (seconds < 0) throw new InvalidOperationException($"Complaints:Analytics:CacheSeconds is {seconds}; it cannot be negative");
                options.AddPolicy(Policy, new AnalyticsCache(TimeSpan.FromSeconds(seconds)));
            }));
    }

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var enabled = keep > TimeSpan.Zero && HttpMethods.IsGet(context.HttpContext.Request.Method);
        context.EnableOutputCaching = enabled;
        context.AllowCacheLookup = enabled;
        context.AllowCacheStorage = enabled;
        context.AllowLocking = enabled;
        context.ResponseExpirationTimeSpan = keep;
        context.CacheVaryByRules.QueryKeys = "*";
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    /// <summary>Only a successful answer is kept: a problem is computed afresh each time.</summary>
    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
