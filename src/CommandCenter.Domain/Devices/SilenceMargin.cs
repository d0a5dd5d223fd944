namespace CommandCenter.Domain.Devices;

/// <summary>
/// How far past its expected interval a device may be before it is silent: interval × <see cref="Factor"/> + <see cref="Grace"/>
/// (see <see cref="DeviceRules.IsSilent"/>). The silent-device job and the live board use the same one (setting section <c>Devices</c>).
/// </summary>
public sealed record SilenceMargin(double Factor, TimeSpan Grace)
{
    public static readonly SilenceMargin Default = new(2, TimeSpan.FromSeconds(60));
}
