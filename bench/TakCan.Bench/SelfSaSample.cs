using System.Reflection;

namespace TakCan.Bench;

/// <summary>
/// The event every benchmark works on: an ATAK self-SA as a phone sends it every few seconds (self-sa.xml,
/// also read by ../node-cot so both libraries parse the same bytes).
/// </summary>
internal static class SelfSaSample
{
    public static byte[] Utf8Xml()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("self-sa.xml")
                           ?? throw new InvalidOperationException("self-sa.xml is not embedded in TakCan.Bench");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
