using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// A PKCS#12 file from a data package (a client certificate with its key, or a truststore of CA certificates) with
/// the password the package's .pref gives for it.
/// </summary>
/// <remarks>The password is a secret: <see cref="ToString"/> never shows it.</remarks>
public sealed record PackagedCertificate(string EntryName, byte[] Pkcs12, string? Password)
{
    /// <summary>
    /// Loads the certificates; the caller disposes them. Bounded by .NET's PKCS#12 loader limits (iteration counts,
    /// sizes) so a crafted file cannot make the device spin.
    /// </summary>
    /// <exception cref="EnrolmentException">Not PKCS#12, or the password does not open it.</exception>
    public X509Certificate2Collection Open()
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12Collection(Pkcs12, Password, X509KeyStorageFlags.EphemeralKeySet, Pkcs12LoaderLimits.Defaults);
        }
        catch (CryptographicException e)
        {
            throw new EnrolmentException($"{EntryName} in the data package cannot be opened with the password the package gives for it (or it is not a PKCS#12 file)", e);
        }
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"EntryName = {EntryName}, Pkcs12 = {Pkcs12.Length} bytes, Password = {(Password is null ? "none" : "given")}");
        return true;
    }
}
