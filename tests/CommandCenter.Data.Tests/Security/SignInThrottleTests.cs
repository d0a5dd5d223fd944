using CommandCenter.Data.Security;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Security;

/// <summary>The per-client sign-in throttle on its own (no database), on a fake clock.</summary>
public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Begin_FailuresForgottenAfterAnHourWithoutOne_TheClientStartsAfresh()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < 3; i++) Assert.False(throttle.Begin("10.0.0.1", "duty.op").Refused);
        Assert.True(throttle.Begin("10.0.0.1", "duty.op").Refused);

        _time.Advance(TimeSpan.FromHours(1));

        for (var i = 0; i < 3; i++) Assert.False(throttle.Begin("10.0.0.1", "duty.op").Refused);
        Assert.True(throttle.Begin("10.0.0.1", "duty.op").Refused);
    }

    [Fact]
    public void Begin_TheSameNameInAnotherCase_IsTheSameAccount()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < 3; i++) throttle.Begin("10.0.0.1", "Duty.Op");

        Assert.True(throttle.Begin("10.0.0.1", " duty.op ").Refused);
    }

    [Fact]
    public void Begin_IPv6AddressesOfOneSubscriberNetwork_CountAsOneClient()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < 3; i++) throttle.Begin($"2001:db8:1:2::{i + 1}", "duty.op");

        Assert.True(throttle.Begin("2001:db8:1:2:ffff::9", "duty.op").Refused);
        Assert.False(throttle.Begin("2001:db8:1:3::1", "duty.op").Refused);
        Assert.Equal("2001:db8:1:2::/64", ClientAddress.Key("2001:db8:1:2:abcd::1"));
        Assert.Equal("192.0.2.7", ClientAddress.Key("::ffff:192.0.2.7"));
        Assert.Equal("unknown", ClientAddress.Key((string?)null));
    }

    [Fact]
    public void Begin_ManyMadeUpNamesFromManyAddresses_TracksABoundedNumber()
    {
        var throttle = new SignInThrottle(_time, new SignInThrottleOptions { MaxTracked = 1000 });

        for (var i = 0; i < 5000; i++)
        {
            throttle.Begin($"10.{i / 65536}.{i / 256 % 256}.{i % 256}", new string('n', 400) + i);
        }

        Assert.InRange(throttle.Tracked, 1, 1000);
    }

    [Fact]
    public void Begin_RefusedWhileWaiting_OnlyTheFirstRefusalOfAWaitIsMarkedForTheLog()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < 3; i++) throttle.Begin("10.0.0.1", "duty.op");

        var first = throttle.Begin("10.0.0.1", "duty.op");
        var second = throttle.Begin("10.0.0.1", "duty.op");

        Assert.True(first.Refused && first.FirstRefusal);
        Assert.True(second.Refused && !second.FirstRefusal);
        Assert.Equal(TimeSpan.FromSeconds(1), second.RetryAfter);
    }

    [Fact]
    public void Succeeded_GivesBackItsOwnCountOnly_AnotherAccountsSuccessDoesNotWipeTheAddress()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < 9; i++) throttle.Begin("10.0.0.1", "victim" + i);

        // An attacker with an account of their own signs in between guesses: each success only gives back itself.
        for (var i = 0; i < 5; i++) throttle.Succeeded(throttle.Begin("10.0.0.1", "own.account"));
        throttle.Begin("10.0.0.1", "victim9");

        Assert.True(throttle.Begin("10.0.0.1", "victim10").Refused);
    }
}
