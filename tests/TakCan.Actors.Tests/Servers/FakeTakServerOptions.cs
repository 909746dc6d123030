using TakCan.Actors.Servers;

namespace TakCan.Actors.Tests.Servers;

/// <summary>How a <see cref="FakeTakServer"/> behaves; the defaults are a plain-TCP TAK Server that speaks XML only.</summary>
public sealed record FakeTakServerOptions
{
    /// <summary>Mutual TLS; null: plain TCP.</summary>
    public FakeTakTls? Tls { get; init; }

    /// <summary>Send <c>t-x-takp-v</c> right after a client connects (and authenticates), as TAK Server does.</summary>
    public bool OfferTakProtocol { get; init; }

    /// <summary>Answer a request with status true (switching to TAK protocol) or false (staying on XML).</summary>
    public bool AcceptTakProtocol { get; init; } = true;

    /// <summary>Answer a <c>t-x-takp-q</c> at all; false leaves the client waiting.</summary>
    public bool AnswerRequests { get; init; } = true;

    /// <summary>Wait this long before answering a request (the client must stay quiet meanwhile).</summary>
    public TimeSpan ResponseDelay { get; init; }

    /// <summary>Answer <c>t-x-c-t</c> with <c>takPong</c>; false makes a server that never says anything.</summary>
    public bool AnswerPings { get; init; } = true;

    /// <summary>Send every new client the latest event of each uid, as TAK Server does with SA.</summary>
    public bool ReplayLatest { get; init; }

    /// <summary>Pass each client's CoT on to every other client.</summary>
    public bool Relay { get; init; } = true;

    /// <summary>Require this username and password in an auth message before anything else.</summary>
    public ServerCredentials? Credentials { get; init; }
}
