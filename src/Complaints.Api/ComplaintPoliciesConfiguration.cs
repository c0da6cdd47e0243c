using Complaints.Domain;

namespace Complaints.Api;

/// <summary>Reads the rules that are data (re-review rounds, routing table, service promises) from the "Complaints" configuration section.</summary>
public static class ComplaintPoliciesConfiguration
{
    public static ComplaintPolicies Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Complaints");
        var rounds = section.GetValue("ReReview:MaxRounds", ComplaintPolicies.Default.ReReview.MaxRounds);
        if (rounds < 0) throw new InvalidOperationException($"Complaints:ReReview:MaxRounds is {rounds}; it cannot be negative");
        var routing = section.GetSection("Routing").GetChildren()
            .Where(r => !string.IsNullOrWhiteSpace(r.Value))
            .ToDictionary(r => r.Key, r => r.Value!, StringComparer.OrdinalIgnoreCase);
        return new ComplaintPolicies
        {
            ReReview = new ReReviewPolicy { MaxRounds = rounds },
            Routing = new RoutingTable { DepartmentByCategory = routing },
            Promises = ReadPromises(section.GetSection("Promises")),
        };
    }

    /// <summary>
    /// "Promises:Default" overrides the built-in terms; "Promises:ByCategory:&lt;category&gt;" overrides the default for one
    /// category, term by term. Times are TimeSpans ("00:03:00", "15.00:00:00").
    /// </summary>
    private static ServicePromisePolicy ReadPromises(IConfigurationSection section)
    {
        var defaults = Terms(section.GetSection("Default"), ServicePromiseTerms.Default, "Complaints:Promises:Default");
        var byCategory = section.GetSection("ByCategory").GetChildren()
            .ToDictionary(c => c.Key, c => Terms(c, defaults, $"Complaints:Promises:ByCategory:{c.Key}"), StringComparer.OrdinalIgnoreCase);
        var grace = ConfiguredTime.Read(section, "LateEntryGrace", ServicePromisePolicy.DefaultLateEntryGrace, "Complaints:Promises", zeroAllowed: true);
        return new ServicePromisePolicy { Default = defaults, ByCategory = byCategory, LateEntryGrace = grace };
    }

    private static ServicePromiseTerms Terms(IConfigurationSection section, ServicePromiseTerms fallback, string path)
    {
        // Zero passes here so that Problems() names every term that cannot be promised, at once.
        TimeSpan Read(string name, TimeSpan value) => ConfiguredTime.Read(section, name, value, path, zeroAllowed: true);

        var terms = new ServicePromiseTerms(
            Read(nameof(ServicePromiseTerms.FirstResponseWithin), fallback.FirstResponseWithin),
            Read(nameof(ServicePromiseTerms.ResolutionWithin), fallback.ResolutionWithin),
            Read(nameof(ServicePromiseTerms.FollowUpFrom), fallback.FollowUpFrom),
            Read(nameof(ServicePromiseTerms.FollowUpWithin), fallback.FollowUpWithin),
            Read(nameof(ServicePromiseTerms.ReReviewWithin), fallback.ReReviewWithin),
            Read(nameof(ServicePromiseTerms.ComplainantReplyWithin), fallback.ComplainantReplyWithin));
        var problems = terms.Problems().ToList();
        return problems.Count == 0 ? terms : throw new InvalidOperationException($"{path}: {string.Join("; ", problems)}");
    }
}
