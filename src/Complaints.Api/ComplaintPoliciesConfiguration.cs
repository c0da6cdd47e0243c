using Complaints.Domain;

namespace Complaints.Api;

/// <summary>Reads the rules that are data (re-review rounds, routing table) from the "Complaints" configuration section.</summary>
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
        };
    }
}
