using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace CommandCenter.Web.Tests.Open311;

/// <summary>
/// The JSON Schemas of Open311 GeoReport v2 (shared/standards/open311-georeport-v2, copied into Open311/Schemas so
/// that the tests run anywhere; <see cref="Open311SchemaTests"/> checks the copy against the original when it is
/// beside the repository), evaluated with JsonSchema.Net, formats (date-time, uri) asserted.
/// </summary>
public static class Open311Schemas
{
    private static readonly Uri Base = new("https://schemas.open311.test/georeport-v2/");

    public static readonly IReadOnlyList<string> Names = ["request.json", "requests.json", "service.json", "services.json", "service-definition.json"];

    private static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> Schemas = new(Load);

    /// <summary>The folder of the copies in the test output.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Open311", "Schemas");

    /// <summary>The list of errors Open311 answers: an array of at least one {code: integer, description: string}.</summary>
    public const string ErrorsSchema = """
        {
          "type": "array", "minItems": 1,
          "items": {
            "type": "object", "required": ["code", "description"],
            "properties": { "code": { "type": "integer" }, "description": { "type": "string", "minLength": 1 } }
          }
        }
        """;

    private static IReadOnlyDictionary<string, JsonSchema> Load()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var result = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        // The referenced schemas first: request.json and service.json are what the lists' "$ref"s name.
        foreach (var name in Names)
        {
            result[name] = JsonSchema.FromText(File.ReadAllText(Path.Combine(Folder, name)), options, new Uri(Base, name));
        }

        result["errors"] = JsonSchema.FromText(ErrorsSchema, options, new Uri(Base, "errors.json"));
        return result;
    }

    /// <summary>The evaluation's errors (empty when the instance is valid).</summary>
    public static IReadOnlyList<string> Errors(string schema, JsonElement instance)
    {
        var result = Schemas.Value[schema].Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return [];
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no details)")
            .ToList();
    }

    /// <summary>Asserts that the JSON text is valid against the schema, listing every error when it is not.</summary>
    public static JsonElement AssertValid(string schema, string json)
    {
        var instance = JsonDocument.Parse(json).RootElement;
        var errors = Errors(schema, instance);
        Assert.True(errors.Count == 0, $"not valid against {schema}:\n  {string.Join("\n  ", errors)}\n{json}");
        return instance;
    }

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;
}
