namespace Complaints.Domain;

/// <summary>Rules that are data, loaded from configuration rather than written as code.</summary>
public sealed record ComplaintPolicies
{
    public static readonly ComplaintPolicies Default = new();

    public ReReviewPolicy ReReview { get; init; } = new();
    public RoutingTable Routing { get; init; } = new();
    public ServicePromisePolicy Promises { get; init; } = new();
}

/// <summary>How many re-review rounds an unsatisfied complainant gets before the case goes to a higher level.</summary>
public sealed record ReReviewPolicy
{
    public int MaxRounds { get; init; } = 2;
}

/// <summary>Which department handles which category, so that a dispatcher may assign by category alone.</summary>
public sealed record RoutingTable
{
    public IReadOnlyDictionary<string, string> DepartmentByCategory { get; init; } = new Dictionary<string, string>();

    public string? DepartmentFor(string? category) => category is null
        ? null
        : DepartmentByCategory.FirstOrDefault(r => string.Equals(r.Key, category, StringComparison.OrdinalIgnoreCase)).Value;
}
