using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Security;

/// <summary>Raises the change events of the security services: each subscriber on its own, a failing one logged.</summary>
internal static class SecurityNotifications
{
    public static void Raise<T>(Action<T>? handlers, T arg, ILogger logger)
    {
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                handler(arg);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A subscriber to a security change failed; the others were told");
            }
        }
    }
}
