namespace CommandCenter.Web;

/// <summary>Marker for the page texts in Resources/SharedResource*.resx (English and Simplified Chinese).</summary>
public sealed class SharedResource;
