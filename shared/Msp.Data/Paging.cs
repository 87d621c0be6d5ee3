using System.Buffers.Text;
using System.Text.Json;
using Msp.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Msp.Data;

/// <summary>One page of a keyset-paged list. <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The paging part of a list query: how many, and where the previous page ended.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Checks <c>limit</c> and decodes <c>cursor</c> into the key the previous page ended on.</summary>
    public static bool TryRead<TKey>(int? limit, string? cursor, out int take, out TKey? after, out ValidationProblem? problem)
    {
        take = limit ?? DefaultLimit;
        after = default;
        problem = null;
        if (take is < 1 or > MaxLimit)
        {
            problem = Problems.Invalid("limit", $"Limit must be between 1 and {MaxLimit}.");
            return false;
        }

        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            after = JsonSerializer.Deserialize<TKey>(Base64Url.DecodeFromChars(cursor), JsonSerializerOptions.Web);
            return after is not null || Fail(out problem);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return Fail(out problem);
        }

        static bool Fail(out ValidationProblem problem)
        {
            problem = Problems.Invalid("cursor", "The cursor is not one this list returned.");
            return false;
        }
    }

    /// <summary>Makes the page from up to <c>take + 1</c> rows: the extra row only tells that another page exists.</summary>
    public static Page<T> ToPage<T, TKey>(this IReadOnlyList<T> rows, int take, Func<T, TKey> keyOf)
    {
        if (rows.Count <= take)
        {
            return new Page<T>(rows, null);
        }

        var items = rows.Take(take).ToList();
        return new Page<T>(items, Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(keyOf(items[^1]), JsonSerializerOptions.Web)));
    }
}
