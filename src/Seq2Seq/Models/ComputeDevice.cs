using System.Globalization;
using Seq2Seq.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>Turns a device name (<c>training.device</c>, <c>--device</c>) into a torch device, checking that libtorch can
/// use it.</summary>
public static class ComputeDevice
{
    /// <param name="name"><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
    /// <param name="key">The setting the name came from, for the error message.</param>
    /// <exception cref="ConfigException">The name is malformed, or names a GPU this libtorch cannot use (a CPU-only
    /// build, or no such GPU).</exception>
    public static Device Resolve(string name, string key = "training.device")
    {
        if (!new PatternAttribute(DeviceNames.Pattern, DeviceNames.Expected).Matches(name))
            throw new ConfigException($"{key}: must be {DeviceNames.Expected}; got '{name}'");
        if (name == DeviceNames.Cpu) return CPU;
        if (!cuda.is_available())
            throw new ConfigException($"{key}: {name} asked for, but CUDA is not available to libtorch (torch.cuda.is_available() is " +
                "false). This build uses a CPU-only libtorch unless built with a CUDA one (-p:LibTorchPackage=..., README \"GPU\"), " +
                "and needs an NVIDIA driver; use cpu otherwise");
        int index = name == DeviceNames.Cuda ? 0 : int.Parse(name[(DeviceNames.Cuda.Length + 1)..], CultureInfo.InvariantCulture);
        int count = cuda.device_count();
        if (index >= count)
            throw new ConfigException($"{key}: {name} asked for, but libtorch sees {count} GPU{(count == 1 ? "" : "s")} (cuda:0 .. cuda:{count - 1})");
        return new Device(DeviceType.CUDA, index);
    }
}
