using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using Complaints.Api.Tests.Support;

namespace Complaints.Api.Tests.ApiReference;

/// <summary>
/// How the typed client in src/Complaints.Client is made from the OpenAPI document (NSwag): one ComplaintsClient with an
/// interface, a method per operation named by its operationId, System.Text.Json, nullable reference types, the base
/// address taken from the HttpClient, and the headers as parameters named in C# (ifMatch, idempotencyKey, correlationId).
/// </summary>
public static class ClientGeneration
{
    public static string CommittedFile => Path.Combine(TestDatabase.RepositoryRoot(), "src", "Complaints.Client", "ComplaintsClient.g.cs");

    public static async Task<string> Generate(string document)
    {
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "ComplaintsClient",
            GenerateClientInterfaces = true,
            UseBaseUrl = false,
            GenerateOptionalParameters = true,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            ParameterNameGenerator = new HeaderParameterNames(),
            CSharpGeneratorSettings =
            {
                Namespace = "Complaints.Client",
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = true,
                GenerateOptionalPropertiesAsNullable = true,
            },
        };
        var code = new CSharpClientGenerator(await OpenApiDocument.FromJsonAsync(document), settings).GenerateFile();
        return code.ReplaceLineEndings("\n");
    }

    /// <summary>If-Match becomes ifMatch, X-Correlation-Id correlationId; other parameters keep NSwag's names.</summary>
    private sealed class HeaderParameterNames : IParameterNameGenerator
    {
        private readonly DefaultParameterNameGenerator _default = new();

        public string Generate(OpenApiParameter parameter, IEnumerable<OpenApiParameter> allParameters)
        {
            if (parameter.Kind != OpenApiParameterKind.Header) return _default.Generate(parameter, allParameters);
            var words = parameter.Name.Split('-', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w == "X").ToArray();
            return string.Concat(words.Select((word, i) => i == 0 ? word.ToLowerInvariant() : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant()));
        }
    }
}
