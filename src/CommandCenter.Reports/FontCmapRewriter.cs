using System.Buffers.Binary;

namespace CommandCenter.Reports;

/// <summary>
/// Takes one face out of a font file (a .ttc collection or a single .otf/.ttf) as a standalone font whose Unicode cmap
/// leaves out the code points that share a glyph with a common character but sort before it — the Kangxi and CJK
/// radicals (U+2E80–U+2FDF: ⽹ for 网, ⼈ for 人) and the figure dash (U+2012 for –).
/// <para>Why: Skia's PDF backend writes each glyph's ToUnicode entry from the first code point the cmap maps to it, so
/// with Noto CJK the PDF's text would read "⽹格" instead of "网格" — it looks the same but search and copy fail.
/// Without those code points each glyph maps back to the character the report wrote.</para>
/// </summary>
internal static class FontCmapRewriter
{
    public static bool Dropped(uint codePoint) => codePoint is (>= 0x2E80 and <= 0x2FDF) or 0x2012;

    /// <summary>The face <paramref name="faceIndex"/> of <paramref name="file"/> as a standalone font, or null when its cmap has no format-12 subtable to rebuild.</summary>
    public static byte[]? Rewrite(byte[] file, int faceIndex)
    {
        var span = file.AsSpan();
        uint faceOffset = 0;
        if (span[..4].SequenceEqual("ttcf"u8))
        {
            var count = U32(span, 8);
            if (faceIndex >= count)
            {
                return null;
            }

            faceOffset = U32(span, 12 + (4 * faceIndex));
        }

        var numTables = U16(span, (int)faceOffset + 4);
        var tables = new List<(uint Tag, byte[] Data)>();
        byte[]? cmap = null;
        for (var i = 0; i < numTables; i++)
        {
            var record = (int)faceOffset + 12 + (16 * i);
            var tag = U32(span, record);
            var offset = (int)U32(span, record + 8);
            var length = (int)U32(span, record + 12);
            var data = span.Slice(offset, length).ToArray();
            if (tag == Tag("cmap"))
            {
                cmap = RewriteCmap(data);
                if (cmap is null)
                {
                    return null;
                }

                data = cmap;
            }

            tables.Add((tag, data));
        }

        if (cmap is null)
        {
            return null;
        }

        tables.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        var headerLength = 12 + (16 * tables.Count);
        var total = headerLength + tables.Sum(t => Pad(t.Data.Length));
        var output = new byte[total];
        var o = output.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(o, U32(span, (int)faceOffset));
        BinaryPrimitives.WriteUInt16BigEndian(o[4..], (ushort)tables.Count);
        var entrySelector = (ushort)Math.Floor(Math.Log2(tables.Count));
        var searchRange = (ushort)((1 << entrySelector) * 16);
        BinaryPrimitives.WriteUInt16BigEndian(o[6..], searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(o[8..], entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(o[10..], (ushort)((tables.Count * 16) - searchRange));
        var position = headerLength;
        for (var i = 0; i < tables.Count; i++)
        {
            var (tag, data) = tables[i];
            var record = 12 + (16 * i);
            BinaryPrimitives.WriteUInt32BigEndian(o[record..], tag);
            BinaryPrimitives.WriteUInt32BigEndian(o[(record + 4)..], Checksum(data));
            BinaryPrimitives.WriteUInt32BigEndian(o[(record + 8)..], (uint)position);
            BinaryPrimitives.WriteUInt32BigEndian(o[(record + 12)..], (uint)data.Length);
            data.CopyTo(o[position..]);
            position += Pad(data.Length);
        }

        return output;
    }

    /// <summary>A cmap with the format-12 Unicode map less <see cref="Dropped"/> (as 3/10) and the 0/5 variation subtable kept.</summary>
    private static byte[]? RewriteCmap(byte[] cmap)
    {
        var span = cmap.AsSpan();
        var count = U16(span, 2);
        byte[]? variations = null;
        var map = new SortedDictionary<uint, uint>();
        for (var i = 0; i < count; i++)
        {
            var platform = U16(span, 4 + (8 * i));
            var encoding = U16(span, 6 + (8 * i));
            var offset = (int)U32(span, 8 + (8 * i));
            var format = U16(span, offset);
            if (format == 12 && map.Count == 0)
            {
                var groups = U32(span, offset + 12);
                for (var g = 0; g < groups; g++)
                {
                    var at = offset + 16 + (12 * g);
                    var start = U32(span, at);
                    var end = U32(span, at + 4);
                    var glyph = U32(span, at + 8);
                    for (var cp = start; cp <= end; cp++)
                    {
                        if (!Dropped(cp))
                        {
                            map[cp] = glyph + (cp - start);
                        }
                    }
                }
            }
            else if (format == 14 && platform == 0 && encoding == 5)
            {
                variations = span.Slice(offset, (int)U32(span, offset + 2)).ToArray();
            }
        }

        if (map.Count == 0)
        {
            return null;
        }

        var groupsOut = new List<(uint Start, uint End, uint Glyph)>();
        foreach (var (cp, glyph) in map)
        {
            if (groupsOut.Count > 0 && groupsOut[^1].End + 1 == cp && groupsOut[^1].Glyph + (cp - groupsOut[^1].Start) == glyph)
            {
                groupsOut[^1] = (groupsOut[^1].Start, cp, groupsOut[^1].Glyph);
            }
            else
            {
                groupsOut.Add((cp, cp, glyph));
            }
        }

        var format12 = new byte[16 + (12 * groupsOut.Count)];
        var f = format12.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(f, 12);
        BinaryPrimitives.WriteUInt32BigEndian(f[4..], (uint)format12.Length);
        BinaryPrimitives.WriteUInt32BigEndian(f[12..], (uint)groupsOut.Count);
        for (var g = 0; g < groupsOut.Count; g++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(f[(16 + (12 * g))..], groupsOut[g].Start);
            BinaryPrimitives.WriteUInt32BigEndian(f[(20 + (12 * g))..], groupsOut[g].End);
            BinaryPrimitives.WriteUInt32BigEndian(f[(24 + (12 * g))..], groupsOut[g].Glyph);
        }

        var subtables = new List<(ushort Platform, ushort Encoding, byte[] Data)>();
        if (variations is not null)
        {
            subtables.Add((0, 5, variations));
        }

        subtables.Add((3, 10, format12));
        var headerLength = 4 + (8 * subtables.Count);
        var output = new byte[headerLength + subtables.Sum(s => Pad(s.Data.Length))];
        var o = output.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(o[2..], (ushort)subtables.Count);
        var position = headerLength;
        for (var i = 0; i < subtables.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(o[(4 + (8 * i))..], subtables[i].Platform);
            BinaryPrimitives.WriteUInt16BigEndian(o[(6 + (8 * i))..], subtables[i].Encoding);
            BinaryPrimitives.WriteUInt32BigEndian(o[(8 + (8 * i))..], (uint)position);
            subtables[i].Data.CopyTo(o[position..]);
            position += Pad(subtables[i].Data.Length);
        }

        return output;
    }

    private static int Pad(int length) => (length + 3) & ~3;

    private static uint Checksum(byte[] data)
    {
        uint sum = 0;
        for (var i = 0; i < data.Length; i += 4)
        {
            uint word = 0;
            for (var b = 0; b < 4; b++)
            {
                word = (word << 8) | (i + b < data.Length ? data[i + b] : 0u);
            }

            sum = unchecked(sum + word);
        }

        return sum;
    }

    private static uint Tag(string tag) => (uint)((tag[0] << 24) | (tag[1] << 16) | (tag[2] << 8) | tag[3]);

    private static ushort U16(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadUInt16BigEndian(span[at..]);

    private static uint U32(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
}
