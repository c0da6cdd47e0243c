using System.Text.Json;
using System.Text.Json.Serialization;

namespace Complaints.Api.Http;

/// <summary>
/// Enums travel as their names. An unknown name is refused with the names that are allowed, so that a 400
/// tells the caller how to fix the request.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly string Allowed = string.Join(", ", Enum.GetNames<T>());

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String
                && Enum.TryParse<T>(reader.GetString(), ignoreCase: true, out var value)
                && Enum.IsDefined(value)
                && !char.IsDigit(reader.GetString()![0]) && reader.GetString()![0] != '-')
                return value;
            var given = reader.TokenType == JsonTokenType.String ? $"'{reader.GetString()}'" : reader.TokenType.ToString().ToLowerInvariant();
            throw new JsonException($"{given} is not a {typeof(T).Name}; use one of {Allowed}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
