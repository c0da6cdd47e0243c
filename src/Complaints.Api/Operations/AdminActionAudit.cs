using System.Text;
using Complaints.Api.ApiReference;
using Complaints.Api.Auditing;
using Complaints.Api.Identity;
using Marten;

namespace Complaints.Api.Operations;

/// <summary>The record of administrators' actions (<see cref="AdminAction"/>): what goes on it over HTTP, and how it is read.</summary>
public static class AdminActionAudit
{
    public const string Route = "/api/admin/actions";

    /// <summary>The administrative requests that change something, by method and route, and the name each is recorded under.</summary>
    private static string? ActionOf(HttpRequest request) => (request.Method, request.Path.Value?.TrimEnd('/')) switch
    {
        ("POST", DeadLetterEndpoints.Prefix + "/replay") => "replay-dead-letters",
        ("DELETE", DeadLetterEndpoints.Prefix) => "discard-dead-letters",
        ("POST", { } path) when path.StartsWith("/api/admin/projections/", StringComparison.Ordinal) && path.EndsWith("/rebuild", StringComparison.Ordinal)
            => "rebuild-projection",
        _ => null,
    };

    /// <summary>
    /// Records each administrative change that was made, once it has been answered: who asked, what they sent (the ids,
    /// the projection) and the answer's status. Runs after authorization: a refused request changed nothing. The change
    /// is made by the endpoint in a transaction of its own, so a record that cannot be written is logged as an error.
    /// </summary>
    public static IApplicationBuilder UseAdminActionAudit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (ActionOf(http.Request) is not { } action || http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }
        http.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true)) body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        await next(http);
        if (http.Response.StatusCode >= 400) return;
        var details = $"{http.Request.Path}{(body.Length == 0 ? "" : " " + (body.Length > 4_000 ? body[..4_000] + "…" : body))}";
        try
        {
            await AdminActionLog.Record(http.RequestServices.GetRequiredService<IDocumentStore>(), http.User.ActingUser(), action, details,
                http.Response.StatusCode, Http.RequestCausation.CorrelationIdIfValid(http), http.RequestServices.GetRequiredService<TimeProvider>(), CancellationToken.None);
        }
        catch (Exception e)
        {
            http.RequestServices.GetRequiredService<ILogger<AdminAction>>()
                .LogError(e, "{Action} by {User} was made but could not be put on the record of administrators' actions: {Details}",
                    action, http.User.ActingUser(), details);
        }
    });

    public static void MapAdminActions(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, List)
            .RequireAuthorization(Policies.ReadAdminActions)
            .WithName("ListAdminActions")
            .WithSummary("List administrators' actions")
            .WithDescription("The latest administrative changes (dead letters replayed or discarded, projections rebuilt, tokens minted " +
                             "with the configured key) and reads that showed complainants' identities (`read-identities`: the request " +
                             "and the cases), newest first: who, when, what they sent, the answer's status.")
            .WithTags(Capabilities.Audit)
            .WithMetadata(new ProblemAnswerAttribute(StatusCodes.Status400BadRequest, "`limit` runs from 1 to 500."));

    /// <param name="limit">How many, newest first (1 to 500; 100 when left out).</param>
    /// <param name="action">Only this kind of action (`read-identities`, `replay-dead-letters`, `mint-token` …).</param>
    private static async Task<IReadOnlyList<AdminAction>> List(IQuerySession session, CancellationToken ct, int? limit = null, string? action = null)
    {
        if (limit is < 1 or > 500) throw new Http.BadRequest("limit runs from 1 to 500.");
        var actions = session.Query<AdminAction>().AsQueryable();
        if (!string.IsNullOrEmpty(action)) actions = actions.Where(a => a.Action == action);
        return await actions.OrderByDescending(a => a.At).Take(limit ?? 100).ToListAsync(ct);
    }
}
