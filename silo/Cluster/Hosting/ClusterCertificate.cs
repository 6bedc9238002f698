using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Gordo.Silo.Cluster;

/// <summary>
/// The cluster certificate (<c>GORDO_CLUSTER_CERT</c>): silos and gateways present it and accept only a
/// peer that presents the same one, so a process without it can neither join nor call a grain.
/// </summary>
internal static class ClusterCertificate
{
    public static X509Certificate2? Load(GordoClusterOptions options) =>
        options.Certificate is { Length: > 0 } path ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword) : null;

    public static void RequireMutual(TlsOptions tls, X509Certificate2 certificate)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

        // A self-signed cluster certificate is its own authority: the peer must present exactly it.
        tls.RemoteCertificateValidation = (remote, _, _) => remote is not null && remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span);
    }
}
