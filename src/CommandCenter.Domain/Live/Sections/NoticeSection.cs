namespace CommandCenter.Domain.Live.Sections;

/// <summary>The open notices by source and row id. Not thread-safe: the <see cref="LiveBoard"/> owns the lock.</summary>
internal sealed class NoticeSection
{
    /// <summary>More open notices than this are not kept (the oldest go first): a banner shows a few, the console lists the rest.</summary>
    public const int Capacity = 200;
    private readonly Dictionary<(AlarmSource, long), NoticeItem> _open = [];
    private IReadOnlyList<NoticeItem>? _sorted;

    public IReadOnlyList<NoticeItem> Items => _sorted ??= [.. _open.Values.OrderByDescending(n => n.At).ThenByDescending(n => n.Id)];

    public void Load(IEnumerable<NoticeItem> notices)
    {
        _open.Clear();
        _sorted = null;
        foreach (var n in notices) Add(n);
    }

    /// <summary>True when the notice is new (a replay of one held changes nothing).</summary>
    public bool Add(NoticeItem n)
    {
        if (!_open.TryAdd((n.Source, n.Id), n)) return false;
        if (_open.Count > Capacity)
        {
            var oldest = _open.Values.MinBy(x => x.At)!;
            _open.Remove((oldest.Source, oldest.Id));
        }

        _sorted = null;
        return true;
    }

    public bool Remove(AlarmSource source, long id)
    {
        if (!_open.Remove((source, id))) return false;
        _sorted = null;
        return true;
    }
}
