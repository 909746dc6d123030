using TakCan.Protocols.Enrolment;

namespace TakCan.Protocols.Tests.Enrolment;

public sealed class EnrolmentTargetTests
{
    [Fact]
    public void Reads_an_ATAK_enrolment_code_with_defaults()
    {
        var target = EnrolmentTarget.Parse("tak://com.atakmap.app/enroll?host=tak.example.org&username=alice&token=s3cret");

        Assert.Equal("tak.example.org", target.Host);
        Assert.Equal(new TakConnectString("tak.example.org", 8089, TakStreamProtocol.Ssl), target.Server);
        Assert.Equal(8446, target.EnrolmentPort);
        Assert.Equal("alice", target.Username);
        Assert.Equal("s3cret", target.Token);
        Assert.Equal(new Uri("https://tak.example.org:8446/"), target.EnrolmentBaseUri);
    }

    [Fact]
    public void Reads_host_port_and_protocol_and_decodes_percent_escapes_but_keeps_plus()
    {
        var target = EnrolmentTarget.Parse(
            "TAK://com.atakmap.app/enroll?host=tak.example.org%3A8090%3Aquic&username=bob%20smith&token=a+b%2Bc%26d%3D%C3%A9&extra=ignored");

        Assert.Equal(new TakConnectString("tak.example.org", 8090, TakStreamProtocol.Quic), target.Server);
        Assert.Equal("bob smith", target.Username);
        Assert.Equal("a+b+c&d=é", target.Token);
    }

    [Fact]
    public void Token_is_optional_in_a_code_and_the_parameters_may_come_in_any_order()
    {
        var target = EnrolmentTarget.Parse("tak://com.atakmap.app/enroll?username=alice&host=10.0.0.5:8089:ssl");

        Assert.Equal("10.0.0.5", target.Host);
        Assert.Null(target.Token);
    }

    [Fact]
    public void Reads_an_iTAK_code()
    {
        var target = EnrolmentTarget.Parse("Ops Server,tak.example.org,8089,SSL");

        Assert.Equal("Ops Server", target.Name);
        Assert.Equal(new TakConnectString("tak.example.org", 8089, TakStreamProtocol.Ssl), target.Server);
        Assert.Null(target.Username);
        Assert.Null(target.Token);
    }

    [Fact]
    public void An_iTAK_name_may_contain_commas()
    {
        var target = EnrolmentTarget.Parse("North, Sector 2 ,192.168.1.10,8087,tcp");

        Assert.Equal("North, Sector 2", target.Name);
        Assert.Equal(new TakConnectString("192.168.1.10", 8087, TakStreamProtocol.Tcp), target.Server);
    }

    [Theory]
    [InlineData("tak.example.org", "tak.example.org", 8089, TakStreamProtocol.Ssl)]
    [InlineData("tak.example.org:9000", "tak.example.org", 9000, TakStreamProtocol.Ssl)]
    [InlineData("tak.example.org:8087:tcp", "tak.example.org", 8087, TakStreamProtocol.Tcp)]
    [InlineData("[fd00::1]:8089:ssl", "fd00::1", 8089, TakStreamProtocol.Ssl)]
    [InlineData("[FD00:0::1]", "fd00::1", 8089, TakStreamProtocol.Ssl)]
    public void Reads_a_plain_host(string code, string host, int port, TakStreamProtocol protocol)
    {
        var target = EnrolmentTarget.Parse(code);

        Assert.Equal(new TakConnectString(host, port, protocol), target.Server);
    }

    [Fact]
    public void An_IPv6_host_goes_into_the_enrolment_address_in_brackets()
    {
        Assert.Equal(new Uri("https://[fd00::1]:8446/"), EnrolmentTarget.Parse("[fd00::1]").EnrolmentBaseUri);
    }

    [Fact]
    public void Creates_a_target_from_arguments()
    {
        var target = EnrolmentTarget.Create("tak.example.org", "alice", "pw", enrolmentPort: 9446);

        Assert.Equal(9446, target.EnrolmentPort);
        Assert.Equal("alice", target.Username);
        Assert.Equal(new Uri("https://tak.example.org:9446/"), target.EnrolmentBaseUri);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("tak://com.atakmap.app/enroll", "no parameters")]
    [InlineData("tak://com.atakmap.app/connect?host=a&port=1", "'connect' code")]
    [InlineData("tak://com.evil.app/enroll?host=a&username=b", "not an ATAK code")]
    [InlineData("tak://com.atakmap.app/enroll?username=alice&token=t", "no host=")]
    [InlineData("tak://com.atakmap.app/enroll?host=tak.example.org&token=t", "no username=")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org&host=b.org&username=u", "twice")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org&username=u&noequals", "not a name=value")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org&username=u&token=%zz", "broken %-escape")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org&username=u&token=%4", "broken %-escape")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org&username=u&token=%ff%fe", "not UTF-8")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org&username=u%3Aroot&token=t", "':'")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org&username=u%0A&token=t", "control characters")]
    [InlineData("tak://com.atakmap.app/enroll?host=https%3A%2F%2Fa.org&username=u", "is a URL")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org:0&username=u", "1 to 65535")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org:70000&username=u", "1 to 65535")]
    [InlineData("tak://com.atakmap.app/enroll?host=a.org:8089:udp&username=u", "not ssl, tcp or quic")]
    [InlineData("https://tak.example.org/enroll", "not an enrolment code")]
    [InlineData("tak.example.org:port", "1 to 65535")]
    [InlineData("a b.org", "not a host name")]
    [InlineData("tak.example.org:8089:ssl:extra", "too many ':'")]
    [InlineData("fd00::1", "too many ':'")]
    [InlineData("[fd00::1", "never closes")]
    [InlineData("1.2.3", "not a complete IPv4")]
    [InlineData("10.0.0.256", "not a complete IPv4")]
    [InlineData("Name,host.org,8089", "four fields")]
    [InlineData("Name,host.org,-1,ssl", "1 to 65535")]
    [InlineData("Name,,8089,ssl", "no server address")]
    [InlineData("line\nbreak", "control characters")]
    public void Refuses_a_malformed_code_with_a_reason(string code, string reason)
    {
        var e = Assert.Throws<EnrolmentException>(() => EnrolmentTarget.Parse(code));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_overlong_code_and_host()
    {
        Assert.Contains("more than the 4096", Assert.Throws<EnrolmentException>(() => EnrolmentTarget.Parse(new string('a', 5000))).Message);
        Assert.Contains("at most 253", Assert.Throws<EnrolmentException>(() => EnrolmentTarget.Parse(new string('a', 300) + ".org")).Message);
    }

    [Fact]
    public void Never_shows_the_token()
    {
        var target = EnrolmentTarget.Parse("tak://com.atakmap.app/enroll?host=tak.example.org&username=alice&token=TopSecret");

        Assert.DoesNotContain("TopSecret", target.ToString());
        Assert.Contains("alice@tak.example.org:8089:ssl", target.ToString());
    }

    [Fact]
    public void Validates_values_set_with_with()
    {
        var target = EnrolmentTarget.Parse("tak.example.org");

        Assert.Throws<EnrolmentException>(() => target with { Token = "" });
        Assert.Throws<EnrolmentException>(() => target with { Username = "a:b" });
        Assert.Throws<EnrolmentException>(() => target with { EnrolmentPort = 0 });
        Assert.Equal("carol", (target with { Username = "carol" }).Username);
    }
}
