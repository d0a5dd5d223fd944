using System.Collections.Concurrent;
using System.Text.Json;
using CommandCenter.Domain.Live;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Live;

/// <summary>
/// The snapshot as UTF-8 JSON, serialised once per board version and scope and shared by every caller of
/// GET /api/v1/snapshot: polling clients cost a dictionary lookup, not a serialisation.
/// </summary>
public sealed class SnapshotJson(ILiveBoard board, IOptions<JsonOptions> json)
{
    private readonly ConcurrentDictionary<int, (long Version, byte[] Bytes)> _cache = new();

    public byte[] Get(int? communityId)
    {
        var key = communityId ?? -1;
        var snapshot = board.GetSnapshot(communityId);
        if (_cache.TryGetValue(key, out var hit) && hit.Version == snapshot.Version)
        {
            return hit.Bytes;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot, json.Value.SerializerOptions);
        _cache[key] = (snapshot.Version, bytes);
        return bytes;
    }
}
