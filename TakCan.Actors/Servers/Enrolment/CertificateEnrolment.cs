using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TakCan.Actors.Platform;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>
/// Gets this device a TAK Server client certificate the way ATAK does, over HTTPS to the enrolment port with HTTP
/// Basic authentication: <c>GET /Marti/api/tls/config</c> for the required name entries, a key pair generated here,
/// a PKCS#10 request, <c>POST /Marti/api/tls/signClient/v2</c>, and the issued certificate with its key and the CA
/// certificates stored through <see cref="IKeyStore"/>. The private key leaves the process only into the key store.
/// Exchanges: specs/enrolment.md.
/// </summary>
public sealed class CertificateEnrolment
{
    public const string ConfigPath = "Marti/api/tls/config";
    public const string SignClientPath = "Marti/api/tls/signClient/v2";
    public const int MaxClientUidLength = 256;

    private readonly EnrolmentOptions _options;

    public CertificateEnrolment(EnrolmentOptions? options = null)
    {
        _options = options ?? EnrolmentOptions.Default;
    }

    /// <summary>Enrols with <paramref name="target"/> and stores the result under the server's name.</summary>
    /// <param name="password">The password or enrolment token; null to use the one in <paramref name="target"/>.</param>
    /// <param name="clientUid">This device's TAK uid, sent as <c>clientUid=</c> (the server records it with the certificate).</param>
    /// <param name="trust">How to check the enrolment server's certificate; there is deliberately no default.</param>
    /// <param name="serverName">Name to store the credentials under (<see cref="ServerCredentialNames"/>); by default made from the host.</param>
    /// <exception cref="EnrolmentException">
    /// Missing credentials, an untrusted or unreachable server, refused credentials, a refused or malformed signing;
    /// nothing is stored then.
    /// </exception>
    public async Task<EnrolmentResult> EnrollAsync(
        EnrolmentTarget target,
        string? password,
        string clientUid,
        IKeyStore keyStore,
        EnrolmentTrust trust,
        string? serverName = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(clientUid);
        ArgumentNullException.ThrowIfNull(keyStore);
        ArgumentNullException.ThrowIfNull(trust);
        var username = target.Username
            ?? throw new EnrolmentException($"no user name to enrol with at {target.Host}; give one (the code carries none)");
        var secret = password ?? target.Token
            ?? throw new EnrolmentException($"no password or token to enrol as {username} at {target.Host}; give one (the code carries none)");
        target = target with { Token = secret }; // validates it like a token from a code
        if (clientUid.Length is 0 or > MaxClientUidLength || clientUid.Any(char.IsControl))
            throw new EnrolmentException($"the device uid to enrol with must be 1 to {MaxClientUidLength} characters without control characters");
        var names = ServerCredentialNames.For(serverName ?? ServerCredentialNames.NameFor(target.Host));

        using var connection = new Connection(target, username, secret, trust, _options);
        var config = CertificateConfig.Parse(await connection.GetConfigAsync(cancellationToken));

        using var key = GenerateKey(_options.KeyAlgorithm);
        var request = EnrolmentCsr.ToRequestBody(EnrolmentCsr.Build(username, config, key));
        var query = $"{SignClientPath}?clientUid={Uri.EscapeDataString(clientUid)}&version={Uri.EscapeDataString(_options.ClientVersion)}";
        var signed = SignClientResponse.Parse(await connection.SignAsync(query, request, cancellationToken));
        try
        {
            if (!EnrolmentCsr.Certifies(signed.SignedCertificate, key))
                throw new EnrolmentException("the server returned a certificate for another key than the one this device generated; nothing was stored");
            VerifyChain(signed);

            using var identity = key switch
            {
                RSA rsa => signed.SignedCertificate.CopyWithPrivateKey(rsa),
                ECDsa ec => signed.SignedCertificate.CopyWithPrivateKey(ec),
                _ => throw new InvalidOperationException("unreachable"),
            };
            var store = new ServerCredentialStore(keyStore);
            await store.SaveTrustAsync(names, signed.CaCertificates, cancellationToken);
            await store.SaveIdentityAsync(names, identity, signed.CaCertificates, cancellationToken);

            return new EnrolmentResult(
                names,
                target.Server,
                signed.SignedCertificate.Subject,
                signed.SignedCertificate.Issuer,
                signed.SignedCertificate.NotAfter.ToUniversalTime(),
                EnrolmentTrust.Fingerprint(signed.SignedCertificate),
                signed.CaCertificates.Count,
                connection.ServerCertificateSha256 ?? "");
        }
        finally
        {
            signed.SignedCertificate.Dispose();
            foreach (var ca in signed.CaCertificates) ca.Dispose();
        }
    }

    private static AsymmetricAlgorithm GenerateKey(EnrolmentKeyAlgorithm algorithm) => algorithm switch
    {
        EnrolmentKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        EnrolmentKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not a key algorithm"),
    };

    /// <summary>The issued certificate must chain to the CA certificates that come with it: they become the server's trust.</summary>
    private static void VerifyChain(SignClientResponse signed)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        var roots = signed.CaCertificates.Where(ca => ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData)).ToArray();
        chain.ChainPolicy.CustomTrustStore.AddRange(roots.Length > 0 ? roots : signed.CaCertificates.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(signed.CaCertificates.Except(roots).ToArray());
        if (!chain.Build(signed.SignedCertificate))
            throw new EnrolmentException(
                $"the certificate the server issued does not chain to the CA certificates it returned ({string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct())}); nothing was stored");
    }

    /// <summary>The HTTPS connection of one enrolment: its trust check, the pin it keeps, its error messages.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly EnrolmentTarget _target;
        private readonly EnrolmentTrust _trust;
        private readonly EnrolmentOptions _options;
        private readonly HttpClient _http;
        private readonly string _username;
        private readonly AuthenticationHeaderValue _authorization;
        private readonly Lock _gate = new();
        private string? _refusal;

        public Connection(EnrolmentTarget target, string username, string secret, EnrolmentTrust trust, EnrolmentOptions options)
        {
            _target = target;
            _trust = trust;
            _options = options;
            _username = username;
            var handler = new SocketsHttpHandler
            {
                // Basic credentials must not follow a redirect to another place (or to plain http).
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = options.Proxy is not null,
                Proxy = options.Proxy,
                ConnectTimeout = options.RequestTimeout,
                SslOptions = new SslClientAuthenticationOptions
                {
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = Validate,
                },
            };
            _http = new HttpClient(handler) { BaseAddress = target.EnrolmentBaseUri, Timeout = options.RequestTimeout };
            // RFC 7617: user-id ":" password, UTF-8.
            _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
        }

        /// <summary>The fingerprint of the first certificate the server presented; every later one must equal it.</summary>
        public string? ServerCertificateSha256 { get; private set; }

        public Task<string> GetConfigAsync(CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, ConfigPath);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
            return SendAsync(request, "its certificate configuration", cancellationToken);
        }

        public Task<string> SignAsync(string pathAndQuery, string csr, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery)
            {
                Content = new StringContent(csr, Encoding.UTF8, "text/plain"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return SendAsync(request, "a signed certificate", cancellationToken);
        }

        public void Dispose() => _http.Dispose();

        private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            lock (_gate)
            {
                if (certificate is null)
                {
                    _refusal = "the server presented no certificate";
                    return false;
                }

                // SslStream hands over an X509Certificate2 already; copy only if some platform does not.
                using var copy = certificate is X509Certificate2 ? null : new X509Certificate2(certificate);
                var presented = copy ?? (X509Certificate2)certificate;
                var fingerprint = EnrolmentTrust.Fingerprint(presented);
                if (ServerCertificateSha256 is not null && ServerCertificateSha256 != fingerprint)
                {
                    _refusal = $"the server presented a different certificate ({fingerprint}) from the one earlier in this enrolment ({ServerCertificateSha256})";
                    return false;
                }

                var refusal = _trust.Refusal(presented, chain, errors);
                if (refusal is not null)
                {
                    _refusal = $"TAK Can does not trust {_target.Host}:{_target.EnrolmentPort}: {refusal}. " +
                               $"Its certificate's SHA-256 fingerprint is {fingerprint}; give the server's CA certificate, " +
                               "or compare the fingerprint with the server administrator's and pin it";
                    return false;
                }

                ServerCertificateSha256 = fingerprint;
                return true;
            }
        }

        private async Task<string> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
        {
            using (request)
            {
                request.Headers.Authorization = _authorization;
                var where = $"{_target.Host}:{_target.EnrolmentPort}";
                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                }
                catch (HttpRequestException e) when (RefusalText() is { } refusal)
                {
                    throw new EnrolmentException(refusal, e);
                }
                catch (HttpRequestException e)
                {
                    throw new EnrolmentException($"could not reach the enrolment service at {where}: {e.Message}", e);
                }
                catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new EnrolmentException($"the enrolment service at {where} did not answer within {_options.RequestTimeout.TotalSeconds:0} s", e);
                }

                using (response)
                {
                    var status = (int)response.StatusCode;
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                        throw new EnrolmentException(
                            $"{where} refused user '{_username}' (HTTP {status}): the password or token is wrong, expired or already used; ask for a new enrolment code");
                    if (response.StatusCode == HttpStatusCode.NotFound)
                        throw new EnrolmentException($"{where} has no TAK enrolment API at /{request.RequestUri} (HTTP 404); check the host and the enrolment port (usually 8446)");
                    if (status is >= 300 and < 400)
                        throw new EnrolmentException($"{where} answered with a redirect (HTTP {status}) to {response.Headers.Location}; TAK Can does not follow redirects while enrolling, use the address it names");
                    if (!response.IsSuccessStatusCode)
                        throw new EnrolmentException(
                            $"{where} did not give {what} (HTTP {status}); TAK Server answers this when the request does not carry the name it expects or its CA is not set up: see the server's log");
                    return await ReadBoundedAsync(response.Content, where, cancellationToken);
                }
            }
        }

        private string? RefusalText()
        {
            lock (_gate) return _refusal;
        }

        private async Task<string> ReadBoundedAsync(HttpContent content, string where, CancellationToken cancellationToken)
        {
            var limit = _options.MaxResponseBytes;
            if (content.Headers.ContentLength > limit)
                throw new EnrolmentException($"{where} sent an answer of {content.Headers.ContentLength} bytes, more than the {limit} TAK Can reads");
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                    throw new EnrolmentException($"{where} sent an answer of more than the {limit} bytes TAK Can reads");
                buffer.Write(chunk, 0, read);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
