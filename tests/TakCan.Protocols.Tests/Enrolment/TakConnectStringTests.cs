using TakCan.Protocols.Enrolment;

namespace TakCan.Protocols.Tests.Enrolment;

public sealed class TakConnectStringTests
{
    [Theory]
    [InlineData("tak.example.org:8089:ssl", "tak.example.org", 8089, TakStreamProtocol.Ssl)]
    [InlineData(" 10.1.2.3:8087:TCP ", "10.1.2.3", 8087, TakStreamProtocol.Tcp)]
    [InlineData("fd00::1:8089:ssl", "fd00::1", 8089, TakStreamProtocol.Ssl)]
    [InlineData("[fd00::1]:8089:quic", "fd00::1", 8089, TakStreamProtocol.Quic)]
    public void Reads_ATAK_connect_strings(string text, string host, int port, TakStreamProtocol protocol)
    {
        Assert.Equal(new TakConnectString(host, port, protocol), TakConnectString.Parse(text));
    }

    [Theory]
    [InlineData("tak.example.org:8089:ssl")]
    [InlineData("[fd00::1]:8089:ssl")]
    [InlineData("10.0.0.1:8087:tcp")]
    public void Writes_what_it_reads(string text)
    {
        Assert.Equal(text, TakConnectString.Parse(text).ToString());
    }

    [Theory]
    [InlineData("tak.example.org")]
    [InlineData("tak.example.org:8089")]
    [InlineData(":8089:ssl")]
    [InlineData("tak.example.org:99999:ssl")]
    [InlineData("tak.example.org:8089:http")]
    [InlineData("bad host:8089:ssl")]
    public void Refuses_anything_else(string text)
    {
        Assert.Throws<EnrolmentException>(() => TakConnectString.Parse(text));
    }
}
