using System.Text.Json;
using System.Text.Json.Serialization;

namespace Msp.ServiceDefaults.Hosting;

/// <summary>Text PostgreSQL can store: no NUL character (a <c>text</c> value cannot hold one, <c>jsonb</c> neither) and no
/// lone UTF-16 surrogate (it has no UTF-8 form, so the driver cannot send it). Every way text enters a service (JSON
/// bodies, query strings, route values, multipart fields and file names) is checked against this one rule at the edge,
/// so that such text is refused with a 400 naming the field instead of failing in the database.</summary>
public static class StorableText
{
    public const string Message = "The text contains a character that cannot be stored (NUL, or an unpaired UTF-16 surrogate).";

    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        // Fast path: most text has neither NUL nor any surrogate at all.
        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return !text.Contains('\0');
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}

/// <summary>Thrown while reading a JSON body whose text cannot be stored; the exception handler names its JSON path.</summary>
public sealed class UnstorableTextException() : JsonException(StorableText.Message);

/// <summary>Reads every JSON string (values and dictionary keys) of a request body as the built-in converter does, and
/// refuses one that <see cref="StorableText"/> says cannot be stored: one rule in model binding for every body, every
/// endpoint, including those added later.</summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException());

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string? Checked(string? value) =>
        value is null || StorableText.IsStorable(value) ? value : throw new UnstorableTextException();
}
