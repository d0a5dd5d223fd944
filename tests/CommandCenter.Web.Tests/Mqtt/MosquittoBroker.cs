using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CommandCenter.Web.Tests.Mqtt;

/// <summary>
/// Debian's <c>mosquitto</c>, started by the test on a free local port with its own config (anonymous, no
/// persistence); <see cref="KillAsync"/> and <see cref="StartAsync"/> simulate an outage on the same port.
/// test.sh installs mosquitto when it is missing; <see cref="Path"/> is null only when it truly cannot be found.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private Process? _process;

    public MosquittoBroker()
    {
        Port = FreePort();
        Folder = Directory.CreateTempSubdirectory("cc-mosquitto").FullName;
        File.WriteAllText(System.IO.Path.Combine(Folder, "mosquitto.conf"),
            $"listener {Port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\nlog_dest none\n");
    }

    /// <summary>The mosquitto binary, or null when it is not installed.</summary>
    public static string? Path { get; } = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto" }.FirstOrDefault(File.Exists);

    public const string MissingReason = "mosquitto is not installed (test.sh installs the Debian packages mosquitto and mosquitto-clients)";

    public int Port { get; }

    public string Folder { get; }

    public async Task StartAsync()
    {
        if (Path is null) throw new InvalidOperationException(MissingReason);
        _process = Process.Start(new ProcessStartInfo(Path, ["-c", System.IO.Path.Combine(Folder, "mosquitto.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>kill -9: the broker is gone at once, connections drop.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
