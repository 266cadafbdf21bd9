import Foundation
import Testing
import Wire

/// How `S3ObjectStore.fromEnvironment` finds its credentials, region and endpoint: as the AWS
/// CLI does, from the environment and the shared credentials and config files.
@Suite("S3 client configuration")
struct S3ClientConfigurationTests {
    /// A fake home folder with `.aws/credentials` and `.aws/config`.
    final class Home {
        let path = NSTemporaryDirectory() + "s3-config-\(UUID().uuidString)"

        init(credentials: String? = nil, config: String? = nil) throws {
            try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
            if let credentials { try Data(credentials.utf8).write(to: URL(fileURLWithPath: path + "/.aws/credentials")) }
            if let config { try Data(config.utf8).write(to: URL(fileURLWithPath: path + "/.aws/config")) }
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static let credentials = """
        # shared credentials
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [dev]
        aws_access_key_id=AKIDDEV
        aws_secret_access_key=dev-secret
        aws_session_token = dev-token
        """

    static let config = """
        [default]
        region = eu-west-1

        [profile dev]
        region = eu-central-1
        endpoint_url = http://127.0.0.1:9000
        s3 =
          addressing_style = path

        [profile sso-only]
        ; credentials only in this file
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = config-secret
        """

    @Test("the default profile, with the region of the config file's [default]")
    func defaultProfile() throws {
        let home = try Home(credentials: Self.credentials, config: Self.config)
        let resolved = try S3ClientConfiguration.resolve(environment: ["HOME": home.path])
        #expect(resolved.credentials == SigV4Credentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "default-secret"))
        #expect(resolved.sessionToken == nil)
        #expect(resolved.region == "eu-west-1")
        #expect(resolved.endpoint == "https://s3.eu-west-1.amazonaws.com")
        #expect(resolved.credentialSource == home.path + "/.aws/credentials [default]")
    }

    @Test("AWS_PROFILE picks a profile: its keys and token, its [profile NAME] region and endpoint_url")
    func namedProfile() throws {
        let home = try Home(credentials: Self.credentials, config: Self.config)
        let resolved = try S3ClientConfiguration.resolve(environment: ["HOME": home.path, "AWS_PROFILE": "dev"])
        #expect(resolved.credentials == SigV4Credentials(accessKeyID: "AKIDDEV", secretAccessKey: "dev-secret"))
        #expect(resolved.sessionToken == "dev-token")
        #expect(resolved.region == "eu-central-1")
        #expect(resolved.endpoint == "http://127.0.0.1:9000")
        let overridden = try S3ClientConfiguration.resolve(endpoint: "http://localhost:4566",
                                                           environment: ["HOME": home.path, "AWS_PROFILE": "dev", "AWS_REGION": "us-west-2"])
        #expect(overridden.endpoint == "http://localhost:4566" && overridden.region == "us-west-2")
        let fromConfig = try S3ClientConfiguration.resolve(environment: ["HOME": home.path, "AWS_PROFILE": "sso-only"])
        #expect(fromConfig.credentials.accessKeyID == "AKIDCONFIG")
        #expect(fromConfig.region == "us-east-1")
    }

    @Test("files written on Windows (CRLF line ends) read the same")
    func crlfFiles() throws {
        let home = try Home(credentials: Self.credentials.replacingOccurrences(of: "\n", with: "\r\n"),
                            config: Self.config.replacingOccurrences(of: "\n", with: "\r\n"))
        let resolved = try S3ClientConfiguration.resolve(environment: ["HOME": home.path, "AWS_PROFILE": "dev"])
        #expect(resolved.credentials == SigV4Credentials(accessKeyID: "AKIDDEV", secretAccessKey: "dev-secret"))
        #expect(resolved.sessionToken == "dev-token")
        #expect(resolved.endpoint == "http://127.0.0.1:9000")
    }

    @Test("the config file's default profile may also be written [profile default]")
    func profileDefaultSection() throws {
        let home = try Home(config: "[profile default]\nregion = ap-south-1\naws_access_key_id = AKIDCFG\naws_secret_access_key = s\n")
        let resolved = try S3ClientConfiguration.resolve(environment: ["HOME": home.path])
        #expect(resolved.region == "ap-south-1" && resolved.credentials.accessKeyID == "AKIDCFG")
    }

    @Test("keys in the environment win over every profile; the files' paths can be moved")
    func environmentFirst() throws {
        let home = try Home(credentials: Self.credentials, config: Self.config)
        let resolved = try S3ClientConfiguration.resolve(environment: [
            "HOME": home.path, "AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
            "AWS_ENDPOINT_URL_S3": "http://s3.local", "AWS_ENDPOINT_URL": "http://other.local",
        ])
        #expect(resolved.credentials == SigV4Credentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret"))
        #expect(resolved.sessionToken == nil && resolved.credentialSource == "environment")
        #expect(resolved.endpoint == "http://s3.local")
        #expect(resolved.region == "eu-central-1", "the profile still gives the region")
        let moved = try S3ClientConfiguration.resolve(environment: [
            "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": home.path + "/.aws/credentials", "AWS_CONFIG_FILE": home.path + "/.aws/config",
        ])
        #expect(moved.credentials.accessKeyID == "AKIDDEFAULT" && moved.region == "eu-west-1")
    }

    @Test("what is missing or malformed is named, with the file and line")
    func mistakes() throws {
        let empty = try Home()
        #expect(throws: S3ObjectStoreError.self) { try S3ClientConfiguration.resolve(environment: ["HOME": empty.path]) }
        do {
            _ = try S3ClientConfiguration.resolve(environment: ["HOME": empty.path, "AWS_ACCESS_KEY_ID": "AKID"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("AWS_SECRET_ACCESS_KEY not set"), "\(error)")
        }
        let home = try Home(credentials: Self.credentials, config: Self.config)
        do {
            _ = try S3ClientConfiguration.resolve(environment: ["HOME": home.path, "AWS_PROFILE": "prod"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("the profile \"prod\" (AWS_PROFILE) is in neither"), "\(error)")
        }
        do {
            _ = try S3ClientConfiguration.resolve(environment: ["HOME": home.path, "AWS_DEFAULT_PROFILE": "stage"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("the profile \"stage\" (AWS_DEFAULT_PROFILE) is in neither"), "\(error)")
        }
        let broken = try Home(credentials: "[default]\naws_access_key_id = AKID\nthis line is wrong\n")
        do {
            _ = try S3ClientConfiguration.resolve(environment: ["HOME": broken.path])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains(broken.path + "/.aws/credentials:3: expected name = value"), "\(error)")
        }
        let halfKey = try Home(credentials: "[default]\naws_access_key_id = AKID\n")
        do {
            _ = try S3ClientConfiguration.resolve(environment: ["HOME": halfKey.path])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("has aws_access_key_id but no aws_secret_access_key"), "\(error)")
        }
    }
}
