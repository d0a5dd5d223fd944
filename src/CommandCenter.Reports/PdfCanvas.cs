using SkiaSharp;

namespace CommandCenter.Reports;

/// <summary>A column of a PDF table: header, width in points, right-aligned or not.</summary>
internal sealed record PdfColumn(string Header, float Width, bool Right = false);

/// <summary>
/// A small flowing layout over A4 portrait pages: text, headings, tables that break across pages with their header
/// repeated, and drawings (charts). Everything is recorded first and drawn in <see cref="Write"/>, so the footer can
/// say "page n of N".
/// </summary>
internal sealed class PdfLayout
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    public const float Margin = 50f;
    public const float Top = 56f;
    public const float Bottom = PageHeight - 60f;
    public const float ContentWidth = PageWidth - (2 * Margin);

    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Muted = new(0x61, 0x61, 0x61);
    private static readonly SKColor Rule = new(0xBD, 0xBD, 0xBD);
    private static readonly SKColor HeaderFill = new(0xE8, 0xEE, 0xF6);
    private static readonly SKColor StripeFill = new(0xF7, 0xF7, 0xF7);
    public static readonly SKColor Accent = new(0x1A, 0x4E, 0x8A);
    public static readonly SKColor Good = new(0x2E, 0x7D, 0x32);
    public static readonly SKColor Bad = new(0xC6, 0x28, 0x28);

    private readonly ReportFonts fonts;
    private readonly List<List<Action<SKCanvas>>> pages = [];
    private List<Action<SKCanvas>> page = [];

    public PdfLayout(ReportFonts fonts)
    {
        this.fonts = fonts;
        pages.Add(page);
        Y = Top;
    }

    /// <summary>The top of the free space on the current page.</summary>
    public float Y { get; set; }

    public int PageCount => pages.Count;

    public void NewPage()
    {
        page = [];
        pages.Add(page);
        Y = Top;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    public void EnsureSpace(float height)
    {
        if (Y + height > Bottom)
        {
            NewPage();
        }
    }

    public void Draw(Action<SKCanvas> action) => page.Add(action);

    public float Measure(string text, float size, bool bold = false)
    {
        using var font = Font(size, bold);
        return font.MeasureText(text);
    }

    /// <summary>Text with its baseline at <paramref name="baseline"/>.</summary>
    public void Text(string text, float x, float baseline, float size, bool bold = false, SKColor? color = null, SKTextAlign align = SKTextAlign.Left)
    {
        if (text.Length == 0)
        {
            return;
        }

        var ink = color ?? Ink;
        page.Add(canvas =>
        {
            using var font = Font(size, bold);
            using var paint = new SKPaint { Color = ink, IsAntialias = true };
            canvas.DrawText(text, x, baseline, align, font, paint);
        });
    }

    public void Rect(SKRect rect, SKColor fill)
    {
        page.Add(canvas =>
        {
            using var paint = new SKPaint { Color = fill, Style = SKPaintStyle.Fill };
            canvas.DrawRect(rect, paint);
        });
    }

    public void Line(float x1, float y1, float x2, float y2, SKColor? color = null, float width = 0.5f)
    {
        var ink = color ?? Rule;
        page.Add(canvas =>
        {
            using var paint = new SKPaint { Color = ink, StrokeWidth = width, Style = SKPaintStyle.Stroke, IsAntialias = true };
            canvas.DrawLine(x1, y1, x2, y2, paint);
        });
    }

    /// <summary>A section heading, kept with at least <paramref name="keepWith"/> points of what follows.</summary>
    public void Heading(string text, float keepWith = 80)
    {
        EnsureSpace(30 + keepWith);
        Y += 8;
        Text(text, Margin, Y + 14, 14, bold: true, color: Accent);
        Line(Margin, Y + 20, Margin + ContentWidth, Y + 20, Accent, 1f);
        Y += 30;
    }

    public void SubHeading(string text, float keepWith = 60)
    {
        EnsureSpace(22 + keepWith);
        Text(text, Margin, Y + 12, 11, bold: true);
        Y += 20;
    }

    public void Paragraph(string text, float size = 9.5f, SKColor? color = null)
    {
        EnsureSpace(size + 6);
        Text(text, Margin, Y + size, size, color: color ?? Muted);
        Y += size + 6;
    }

    /// <summary>
    /// A table: a header row, then the rows; when a row does not fit, a new page starts and the header repeats. A cell
    /// too wide for its column is shortened with "…". <paramref name="colour"/> may tint a cell's text (row, column).
    /// </summary>
    public void Table(IReadOnlyList<PdfColumn> columns, IReadOnlyList<string[]> rows, Func<int, int, SKColor?>? colour = null, float size = 8.5f)
    {
        var rowHeight = size + 7f;
        var scale = ContentWidth / columns.Sum(c => c.Width);
        var widths = columns.Select(c => c.Width * Math.Min(1f, scale)).ToArray();

        void Header()
        {
            var top = Y;
            Rect(new SKRect(Margin, top, Margin + widths.Sum(), top + rowHeight + 2), HeaderFill);
            var x = Margin;
            for (var c = 0; c < columns.Count; c++)
            {
                // A header too wide is set smaller (down to 6 pt) before it is shortened.
                var headerSize = size;
                while (headerSize > 6f && Measure(columns[c].Header, headerSize, bold: true) > widths[c] - 6f)
                {
                    headerSize -= 0.25f;
                }

                Cell(columns[c].Header, x, top + 2, widths[c], columns[c].Right, headerSize, bold: true, null);
                x += widths[c];
            }

            Y += rowHeight + 2;
            Line(Margin, Y, Margin + widths.Sum(), Y, Muted, 0.7f);
        }

        EnsureSpace((rowHeight * 2) + 4);
        Header();
        for (var r = 0; r < rows.Count; r++)
        {
            if (Y + rowHeight > Bottom)
            {
                NewPage();
                Header();
            }

            var top = Y;
            if (r % 2 == 1)
            {
                Rect(new SKRect(Margin, top, Margin + widths.Sum(), top + rowHeight), StripeFill);
            }

            var x = Margin;
            for (var c = 0; c < columns.Count; c++)
            {
                var text = c < rows[r].Length ? rows[r][c] : "";
                Cell(text, x, top, widths[c], columns[c].Right, size, bold: false, colour?.Invoke(r, c));
                x += widths[c];
            }

            Y += rowHeight;
        }

        Line(Margin, Y, Margin + widths.Sum(), Y, Rule);
        Y += 10;
    }

    private void Cell(string text, float x, float top, float width, bool right, float size, bool bold, SKColor? color)
    {
        const float pad = 3f;
        var fitted = Fit(text, width - (2 * pad), size, bold);
        var baseline = top + size + 2.5f;
        if (right)
        {
            Text(fitted, x + width - pad, baseline, size, bold, color, SKTextAlign.Right);
        }
        else
        {
            Text(fitted, x + pad, baseline, size, bold, color);
        }
    }

    private string Fit(string text, float width, float size, bool bold)
    {
        if (text.Length == 0 || Measure(text, size, bold) <= width)
        {
            return text;
        }

        var length = text.Length;
        while (length > 1 && Measure(text[..length] + "…", size, bold) > width)
        {
            length--;
        }

        return text[..length] + "…";
    }

    public SKFont Font(float size, bool bold) => new(bold ? fonts.Bold : fonts.Regular, size)
    {
        Subpixel = true,
        Edging = SKFontEdging.Antialias,
    };

    /// <summary>Draws every page into a PDF, with the footer (<paramref name="footer"/> left, "page n of N" right).</summary>
    public void Write(Stream output, string footer, Func<int, int, string> pageLabel, SKDocumentPdfMetadata metadata)
    {
        using var document = SKDocument.CreatePdf(output, metadata);
        for (var i = 0; i < pages.Count; i++)
        {
            var canvas = document.BeginPage(PageWidth, PageHeight);
            foreach (var action in pages[i])
            {
                action(canvas);
            }

            using (var font = Font(8, bold: false))
            using (var paint = new SKPaint { Color = Muted, IsAntialias = true })
            using (var rule = new SKPaint { Color = Rule, StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke })
            {
                canvas.DrawLine(Margin, PageHeight - 42, PageWidth - Margin, PageHeight - 42, rule);
                canvas.DrawText(footer, Margin, PageHeight - 30, SKTextAlign.Left, font, paint);
                canvas.DrawText(pageLabel(i + 1, pages.Count), PageWidth - Margin, PageHeight - 30, SKTextAlign.Right, font, paint);
            }

            document.EndPage();
        }

        document.Close();
    }
}
