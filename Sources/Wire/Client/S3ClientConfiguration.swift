import Foundation

/// Where an `S3ObjectStore` sends its requests and what it signs them with, found as the AWS
/// CLI finds them:
/// - **credentials**: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`)
///   when both are set; else the profile's `aws_access_key_id`, `aws_secret_access_key` (and
///   `aws_session_token`) in the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else
///   `~/.aws/credentials`), else in the config file (`AWS_CONFIG_FILE`, else `~/.aws/config`);
/// - **profile**: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default` (in the config file
///   its section is `[profile NAME]`, or `[default]`);
/// - **region**: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region`, else
///   `us-east-1`;
/// - **endpoint**: the one given, else `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, else the
///   profile's `endpoint_url`, else AWS's own (`https://s3.<region>.amazonaws.com`).
///
/// No instance roles, SSO or credential processes.
public struct S3ClientConfiguration: Sendable, Equatable {
    /// The endpoint URL.
    public var endpoint: String
    /// The region requests are signed for.
    public var region: String
    /// The access key.
    public var credentials: SigV4Credentials
    /// The session token of temporary credentials.
    public var sessionToken: String?
    /// Where the credentials came from: `environment` or a file path and profile, for messages.
    public var credentialSource: String

    /// The configuration `environment` (and the files it points to) gives, with `endpoint`
    /// taking precedence over every other source of the endpoint.
    /// - Throws: `S3ObjectStoreError.configuration` when there are no credentials (naming where
    ///   they were looked for), when `AWS_PROFILE` names a profile neither file has, or for a
    ///   malformed shared file (naming its line).
    public static func resolve(endpoint: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> S3ClientConfiguration {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let home = value("HOME") ?? NSHomeDirectory()
        let profile = value("AWS_PROFILE") ?? value("AWS_DEFAULT_PROFILE") ?? "default"
        let credentialsFile = try AWSSharedFile.read(value("AWS_SHARED_CREDENTIALS_FILE") ?? home + "/.aws/credentials")
        let configFile = try AWSSharedFile.read(value("AWS_CONFIG_FILE") ?? home + "/.aws/config")
        let fromCredentials = credentialsFile?.sections[profile]
        let fromConfig = configFile?.sections[profile == "default" ? "default" : "profile " + profile]
            ?? configFile?.sections["profile " + profile]  // [profile default] is accepted too
        let namedBy = value("AWS_PROFILE") != nil ? "AWS_PROFILE" : (value("AWS_DEFAULT_PROFILE") != nil ? "AWS_DEFAULT_PROFILE" : nil)
        let keysInEnvironment = value("AWS_ACCESS_KEY_ID") != nil && value("AWS_SECRET_ACCESS_KEY") != nil
        if let namedBy, !keysInEnvironment, fromCredentials == nil, fromConfig == nil {
            let looked = [credentialsFile?.path, configFile?.path].compactMap { $0 }
            throw S3ObjectStoreError.configuration("the profile \"\(profile)\" (\(namedBy)) is in neither "
                + (looked.isEmpty ? "~/.aws/credentials nor ~/.aws/config (there are no such files)" : looked.joined(separator: " nor ")))
        }

        let credentials: SigV4Credentials
        let sessionToken: String?
        let source: String
        if keysInEnvironment, let accessKey = value("AWS_ACCESS_KEY_ID"), let secretKey = value("AWS_SECRET_ACCESS_KEY") {
            credentials = SigV4Credentials(accessKeyID: accessKey, secretAccessKey: secretKey)
            sessionToken = value("AWS_SESSION_TOKEN")
            source = "environment"
        } else if let (file, settings) = [(credentialsFile, fromCredentials), (configFile, fromConfig)]
                    .compactMap({ pair -> (AWSSharedFile, [String: String])? in
                        guard let file = pair.0, let settings = pair.1, settings["aws_access_key_id"] != nil else { return nil }
                        return (file, settings)
                    }).first {
            guard let accessKey = settings["aws_access_key_id"], !accessKey.isEmpty,
                  let secretKey = settings["aws_secret_access_key"], !secretKey.isEmpty
            else {
                throw S3ObjectStoreError.configuration("the profile \"\(profile)\" in \(file.path) has aws_access_key_id "
                    + "but no aws_secret_access_key")
            }
            credentials = SigV4Credentials(accessKeyID: accessKey, secretAccessKey: secretKey)
            sessionToken = settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            source = "\(file.path) [\(profile)]"
        } else {
            let missing = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].filter { value($0) == nil }
            throw S3ObjectStoreError.configuration("no S3 credentials: \(missing.joined(separator: " and ")) not set, and the "
                + "profile \"\(profile)\" has no aws_access_key_id in \(credentialsFile?.path ?? home + "/.aws/credentials") "
                + "or \(configFile?.path ?? home + "/.aws/config")")
        }
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? fromConfig?["region"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "us-east-1"
        let url = endpoint ?? value("AWS_ENDPOINT_URL_S3") ?? value("AWS_ENDPOINT_URL")
            ?? fromConfig?["endpoint_url"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://s3.\(region).amazonaws.com"
        return S3ClientConfiguration(endpoint: url, region: region, credentials: credentials, sessionToken: sessionToken,
                                     credentialSource: source)
    }
}
