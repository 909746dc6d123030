using System.Text;
using TakCan.Protocols.MartiApi;

namespace TakCan.Protocols.Tests.MartiApi;

/// <summary>Every Marti parser against input a broken or hostile server could send: only <see cref="MartiException"/>, quickly.</summary>
public sealed class MartiHostileInputTests
{
    public static TheoryData<string, byte[]> Inputs()
    {
        var data = new TheoryData<string, byte[]>();
        void Add(string name, string text) => data.Add(name, Encoding.UTF8.GetBytes(text));
        Add("empty", "");
        Add("whitespace", "   \n");
        Add("null", "null");
        Add("number", "42");
        Add("string", "\"data\"");
        Add("deep arrays", new string('[', 10_000) + new string(']', 10_000));
        Add("deep objects", string.Concat(Enumerable.Repeat("{\"data\":", 5_000)) + "1" + new string('}', 5_000));
        Add("unterminated", "{\"data\":[{\"name\":\"x\"");
        Add("trailing comma", "{\"data\":[],}");
        Add("comment", "/* hi */ {\"data\":[]}");
        Add("duplicate garbage", "{\"data\":[]}{\"data\":[]}");
        Add("data null", "{\"data\":null}");
        Add("items null", "{\"data\":[null,null]}");
        Add("lone surrogate", "{\"data\":[{\"name\":\"\\ud800\",\"direction\":\"IN\",\"token\":\"\\udc00\"}]}");
        Add("html", "<html><body>Unauthorized</body></html>");
        Add("huge number", "{\"data\":[{\"name\":\"x\",\"bitpos\":1e999999,\"size\":99999999999999999999999}]}");
        data.Add("invalid utf-8", [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        data.Add("utf-16", Encoding.Unicode.GetBytes("{\"data\":[]}"));
        data.Add("binary", Enumerable.Range(0, 512).Select(i => (byte)(i * 37)).ToArray());
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Groups_missions_and_subscriptions_refuse_hostile_input_with_their_own_exception(string name, byte[] input)
    {
        Assert.NotNull(name);
        Check(() => MartiGroups.Parse(input));
        Check(() => MartiMissions.ParseList(input));
        Check(() => MartiMissions.ParseOne(input, "x"));
        Check(() => MartiSubscription.Parse(input));
        Check(() => MissionCotReader.Read(input));
    }

    [Fact]
    public void Answers_over_the_size_limit_are_refused_before_parsing()
    {
        var limits = MartiLimits.Default with { MaxJsonBytes = 1000 };
        var json = Encoding.UTF8.GetBytes("{\"data\":[" + string.Join(",", Enumerable.Repeat("{\"name\":\"x\"}", 100)) + "]}");

        Assert.Contains("more than the 1000", Assert.Throws<MartiException>(() => MartiMissions.ParseList(json, limits)).Message);
        Assert.Contains("more than the 1000", Assert.Throws<MartiException>(() => MartiGroups.Parse(json, limits)).Message);
        Assert.Contains("more than the 1000", Assert.Throws<MartiException>(() => MartiSubscription.Parse(json, limits)).Message);
    }

    [Fact]
    public void Nesting_within_the_depth_limit_is_read_and_beyond_it_refused()
    {
        var nested = "{\"data\":[{\"name\":\"x\",\"extra\":" + new string('[', 20) + new string(']', 20) + "}]}";

        Assert.Single(MartiMissions.ParseList(Encoding.UTF8.GetBytes(nested)));
        Assert.Contains("not JSON", Assert.Throws<MartiException>(() =>
            MartiMissions.ParseList(Encoding.UTF8.GetBytes(nested), MartiLimits.Default with { MaxJsonDepth = 10 })).Message);
    }

    [Fact]
    public void Mutated_tak_server_answers_never_escape_as_another_exception()
    {
        var group = Encoding.UTF8.GetBytes(
            """{"version":"3","data":[{"name":"Blue","direction":"IN","created":"2024-03-01","type":"SYSTEM","bitpos":5,"active":true,"description":"d"}]}""");
        var mission = Encoding.UTF8.GetBytes(
            """{"data":[{"name":"ops","createTime":"2025-11-20T08:15:30.123Z","keywords":["k"],"uids":[{"data":"u"}],"contents":[{"data":{"hash":"ab","size":3,"filename":"f"}}]}]}""");
        var subscription = Encoding.UTF8.GetBytes("""{"data":{"token":"eyJ.abc.def","clientUid":"A","role":{"type":"MISSION_SUBSCRIBER"},"mission":{"name":"ops"}}}""");
        var cot = Encoding.UTF8.GetBytes(
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?><events><event version='2.0' uid='a' type='a-f-G' time='2025-11-27T10:00:00Z' " +
            "start='2025-11-27T10:00:00Z' stale='2025-11-27T10:05:00Z' how='m-g'><point lat='1' lon='2' hae='3' ce='4' le='5'/><detail><contact callsign='A'/></detail></event>\n</events>");
        var random = new Random(20251127);
        byte[] specials = "<>/'\"{}[],:&;!?-=\0\u00ff"u8.ToArray();

        for (var i = 0; i < 2_000; i++)
        {
            Check(() => MartiGroups.Parse(Mutate(group)));
            Check(() => MartiMissions.ParseList(Mutate(mission)));
            Check(() => MartiSubscription.Parse(Mutate(subscription)));
            Check(() => MissionCotReader.Read(Mutate(cot)));
        }

        byte[] Mutate(byte[] source)
        {
            var bytes = source.ToList();
            for (var n = random.Next(1, 4); n > 0 && bytes.Count > 0; n--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0: bytes[at] = specials[random.Next(specials.Length)]; break;
                    case 1: bytes.RemoveAt(at); break;
                    default: bytes.Insert(at, specials[random.Next(specials.Length)]); break;
                }
            }

            return bytes.ToArray();
        }
    }

    private static void Check(Action parse)
    {
        try
        {
            parse();
        }
        catch (MartiException)
        {
            // The one exception type a caller has to handle.
        }
    }
}
