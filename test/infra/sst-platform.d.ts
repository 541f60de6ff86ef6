/**
 * The SST platform globals that sst.config.ts uses, declared by hand so the config type-checks
 * offline. The real declarations are generated into `.sst/platform/config.d.ts` by `sst install`,
 * which downloads Pulumi and cannot run on this project's machines.
 *
 * Keep this file SMALL and TRUE: only what sst.config.ts uses, each argument named and typed as in
 * the SST 4.17.1 platform source (extracted from the `sst-linux-x64` 4.17.1 binary's embedded
 * `platform/src/components/...`) or the Pulumi provider it re-exports. Arguments we do not use are
 * left out on purpose: adding one here is a claim that SST accepts it, so check the source first.
 *
 * The recording stand-in in ./sst-recorder.ts implements these same names for the tests.
 */
export {};

declare global {
  // ---------------------------------------------------------------- Pulumi basics (@pulumi/pulumi)
  /** A value known only during deployment (Pulumi `Output<T>`). */
  interface SstOutput<T> {
    apply<U>(fn: (value: T) => SstInput<U>): SstOutput<U>;
  }
  type SstInput<T> = T | Promise<T> | SstOutput<T>;

  // ---------------------------------------------------------------- app and globals (platform/src/config.ts, global.d.ts)
  interface SstAppInput {
    stage: string;
  }
  interface SstApp {
    name: string;
    home: 'aws' | 'cloudflare' | 'local';
    /** SST default is "retain": retains S3 buckets, DynamoDB tables, … (see run.ts). */
    removal?: 'remove' | 'retain' | 'retain-all';
    /** If true, `sst remove` refuses to run for this stage. */
    protect?: boolean;
    providers?: Record<string, unknown>;
  }
  interface SstRunOutputs {
    [key: string]: SstInput<unknown>;
  }
  interface SstConfig {
    app(input: SstAppInput): SstApp | Promise<SstApp>;
    run(): Promise<SstRunOutputs | void>;
  }
  const $config: (config: SstConfig) => SstConfig;
  const $app: Readonly<{
    name: string;
    stage: string;
    removal: 'remove' | 'retain' | 'retain-all';
    protect: boolean;
  }>;
  const $interpolate: (strings: TemplateStringsArray, ...values: SstInput<unknown>[]) => SstOutput<string>;
  /** JSON.stringify that waits for the deploy-time values inside (`@pulumi/pulumi` jsonStringify). */
  const $jsonStringify: (value: unknown) => SstOutput<string>;
  const $util: {
    /** Marks a value secret in the Pulumi state (`@pulumi/pulumi` secret()). */
    secret<T>(value: SstInput<T>): SstOutput<T>;
  };

  // ---------------------------------------------------------------- SST components (sst.*)
  type SstSize = `${number} MB` | `${number} GB`;
  type SstDuration = `${number} ${'second' | 'seconds' | 'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days'}`;
  type SstTransform<T> = Partial<T> | ((args: T, opts: unknown, name: string) => void);

  interface SstPermission {
    effect?: 'allow' | 'deny';
    actions: string[];
    resources: SstInput<SstInput<string>[]>;
  }

  namespace sst {
    /** platform/src/components/secret.ts: value from `sst secret set NAME VALUE` (or the placeholder). */
    class Secret {
      constructor(name: string, placeholder?: SstInput<string>);
      readonly name: SstOutput<string>;
      readonly value: SstOutput<string>;
    }

    namespace aws {
      /** platform/src/components/aws/bucket.ts */
      interface BucketArgs {
        access?: SstInput<'public' | 'cloudfront'>;
        /** Default true: a bucket policy denies non-HTTPS requests (aws:SecureTransport). */
        enforceHttps?: SstInput<boolean>;
        cors?: SstInput<
          | false
          | {
              allowHeaders?: SstInput<SstInput<string>[]>;
              allowOrigins?: SstInput<SstInput<string>[]>;
              allowMethods?: SstInput<SstInput<'DELETE' | 'GET' | 'HEAD' | 'POST' | 'PUT'>[]>;
              exposeHeaders?: SstInput<SstInput<string>[]>;
              maxAge?: SstInput<SstDuration>;
            }
        >;
        lifecycle?: SstInput<
          SstInput<{
            id?: SstInput<string>;
            prefix?: SstInput<string>;
            enabled?: SstInput<boolean>;
            expiresIn?: SstInput<`${number} day` | `${number} days`>;
          }>[]
        >;
        versioning?: SstInput<boolean>;
        transform?: {
          /** SST creates the bucket with `forceDestroy: true`; production turns that off here. */
          bucket?: SstTransform<{ forceDestroy?: SstInput<boolean>; bucket?: SstInput<string> }>;
        };
      }
      class Bucket {
        constructor(name: string, args?: BucketArgs);
        readonly name: SstOutput<string>;
        readonly arn: SstOutput<string>;
      }

      /** platform/src/components/aws/router.ts (RouterArgs, RouterRouteArgs) */
      interface RouterRouteArgs {
        instance: SstInput<Router>;
        domain?: SstInput<string>;
        path?: SstInput<string>;
        rewrite?: SstInput<{ regex: SstInput<string>; to: SstInput<string> }>;
        /** 1–60 s; CloudFront's origin response timeout (default 20 s). */
        readTimeout?: SstInput<`${number} second` | `${number} seconds`>;
      }
      interface RouterArgs {
        domain?: SstInput<string | { name: SstInput<string>; aliases?: SstInput<string[]> }>;
      }
      class Router {
        constructor(name: string, args?: RouterArgs);
        /** The custom domain if one is set, else the CloudFront URL (https://…). */
        readonly url: SstOutput<string>;
      }

      /** platform/src/components/aws/function.ts (FunctionArgs): the subset we set. */
      interface FunctionArgs {
        handler: SstInput<string>;
        description?: SstInput<string>;
        runtime?: SstInput<'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x'>;
        architecture?: SstInput<'x86_64' | 'arm64'>;
        memory?: SstInput<SstSize>;
        /** Maximum 900 seconds. */
        timeout?: SstInput<`${number} second` | `${number} seconds` | `${number} minute` | `${number} minutes`>;
        environment?: SstInput<Record<string, SstInput<string>>>;
        permissions?: SstInput<SstPermission[]>;
        /** Linking also grants permissions (a Bucket grants s3:* — we do not link it; see sst.config.ts). */
        link?: SstInput<unknown[]>;
        url?: SstInput<
          | boolean
          | {
              router?: RouterRouteArgs;
              authorization?: SstInput<'none' | 'iam'>;
              cors?: SstInput<boolean>;
            }
        >;
        logging?: SstInput<false | { retention?: SstInput<'1 week' | '1 month' | '3 months' | '1 year'>; format?: SstInput<'text' | 'json'> }>;
        vpc?: Vpc;
        nodejs?: SstInput<{ format?: SstInput<'esm' | 'cjs'>; minify?: SstInput<boolean>; install?: SstInput<string[]> }>;
      }
      class Function {
        constructor(name: string, args: FunctionArgs);
        readonly name: SstOutput<string>;
        readonly arn: SstOutput<string>;
        /** The function URL, or the Router URL + path when `url.router` is set. */
        readonly url: SstOutput<string>;
      }

      /**
       * platform/src/components/aws/cron-v2.ts (CronV2Args): an EventBridge Scheduler schedule
       * (flexibleTimeWindow OFF) invoking a Function it creates (`function` takes FunctionArgs, a
       * handler string or an ARN), with a scheduler role allowed lambda:InvokeFunction on it only.
       * (`sst.aws.Cron`, on EventBridge rules, is deprecated in favour of CronV2 in 4.17.1.)
       */
      interface CronV2Args {
        function?: SstInput<string | FunctionArgs>;
        /** `rate(…)`, `cron(…)` or a one-time `at(…)` expression. */
        schedule: SstInput<`rate(${string})` | `cron(${string})` | `at(${string})`>;
        /** IANA time zone for cron expressions; default UTC. */
        timezone?: SstInput<string>;
        /** Default true. */
        enabled?: SstInput<boolean>;
        /** Retry attempts for failed invocations, 0–185; default 0. */
        retries?: SstInput<number>;
        event?: SstInput<Record<string, unknown>>;
      }
      class CronV2 {
        constructor(name: string, args: CronV2Args);
      }

      /** platform/src/components/aws/static-site.ts (StaticSiteArgs + BaseStaticSiteArgs) */
      interface StaticSiteArgs {
        path?: SstInput<string>;
        /** Set for `build.command`; Vite exposes the VITE_* ones to the page as import.meta.env. */
        environment?: SstInput<Record<string, SstInput<string>>>;
        build?: SstInput<{ command: SstInput<string>; output: SstInput<string> }>;
        router?: RouterRouteArgs;
        errorPage?: SstInput<string>;
      }
      class StaticSite {
        constructor(name: string, args?: StaticSiteArgs);
        readonly url: SstOutput<string | undefined>;
      }

      /** platform/src/components/aws/vpc.ts */
      interface VpcArgs {
        az?: SstInput<number>;
        /** "ec2" runs fck-nat instances (cheap); "managed" uses NAT Gateways. */
        nat?: SstInput<'ec2' | 'managed'>;
      }
      class Vpc {
        constructor(name: string, args?: VpcArgs);
        readonly id: SstOutput<string>;
        readonly publicSubnets: SstOutput<string[]>;
        readonly privateSubnets: SstOutput<string[]>;
        readonly securityGroups: SstOutput<string[]>;
      }
    }
  }

  // ---------------------------------------------------------------- raw AWS resources (@pulumi/aws, preloaded by SST as `aws`)
  interface AwsResourceOptions {
    dependsOn?: unknown[];
    /** Keep the cloud resource when Pulumi would delete it (SST's `removal: "retain"` sets this on buckets). */
    retainOnDelete?: boolean;
    protect?: boolean;
  }
  namespace aws {
    function getCallerIdentityOutput(): SstOutput<{ accountId: string }>;
    function getRegionOutput(): SstOutput<{ name: string }>;
    function getPartitionOutput(): SstOutput<{ partition: string }>;

    namespace s3 {
      class BucketServerSideEncryptionConfiguration {
        constructor(
          name: string,
          args: {
            bucket: SstInput<string>;
            rules: SstInput<
              { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' | 'aws:kms' }; bucketKeyEnabled?: boolean }[]
            >;
          },
          opts?: AwsResourceOptions,
        );
      }
    }
    namespace ecr {
      class Repository {
        constructor(
          name: string,
          args: {
            forceDelete?: SstInput<boolean>;
            imageTagMutability?: SstInput<'MUTABLE' | 'IMMUTABLE'>;
            imageScanningConfiguration?: SstInput<{ scanOnPush: boolean }>;
          },
          opts?: AwsResourceOptions,
        );
        readonly repositoryUrl: SstOutput<string>;
        readonly registryId: SstOutput<string>;
        readonly name: SstOutput<string>;
      }
      class LifecyclePolicy {
        constructor(name: string, args: { repository: SstInput<string>; policy: SstInput<string> }, opts?: AwsResourceOptions);
      }
      function getAuthorizationTokenOutput(args: { registryId?: SstInput<string> }): SstOutput<{
        userName: string;
        password: string;
        proxyEndpoint: string;
      }>;
    }
    namespace iam {
      class Role {
        constructor(name: string, args: { assumeRolePolicy: SstInput<string>; description?: SstInput<string> }, opts?: AwsResourceOptions);
        readonly name: SstOutput<string>;
        readonly arn: SstOutput<string>;
      }
      class RolePolicy {
        constructor(name: string, args: { role: SstInput<string>; policy: SstInput<string> }, opts?: AwsResourceOptions);
      }
      class RolePolicyAttachment {
        constructor(name: string, args: { role: SstInput<string>; policyArn: SstInput<string> }, opts?: AwsResourceOptions);
      }
      class InstanceProfile {
        constructor(name: string, args: { role: SstInput<string> }, opts?: AwsResourceOptions);
        readonly arn: SstOutput<string>;
        readonly name: SstOutput<string>;
      }
    }
    namespace cloudwatch {
      class LogGroup {
        constructor(name: string, args: { retentionInDays?: SstInput<number> }, opts?: AwsResourceOptions);
        readonly name: SstOutput<string>;
        readonly arn: SstOutput<string>;
      }
    }
    namespace lambda {
      class Function {
        constructor(
          name: string,
          args: {
            description?: SstInput<string>;
            packageType: 'Image';
            imageUri: SstInput<string>;
            imageConfig?: SstInput<{ commands?: SstInput<string[]> }>;
            role: SstInput<string>;
            architectures: SstInput<('x86_64' | 'arm64')[]>;
            memorySize: SstInput<number>;
            timeout: SstInput<number>;
            ephemeralStorage: SstInput<{ size: SstInput<number> }>;
            environment?: SstInput<{ variables: SstInput<Record<string, SstInput<string>>> }>;
            loggingConfig?: SstInput<{ logFormat: 'Text' | 'JSON'; logGroup: SstInput<string> }>;
            /** Publish a version on each change: provisioned concurrency needs a version or alias. */
            publish?: SstInput<boolean>;
            reservedConcurrentExecutions?: SstInput<number>;
          },
          opts?: AwsResourceOptions,
        );
        readonly name: SstOutput<string>;
        readonly arn: SstOutput<string>;
        readonly version: SstOutput<string>;
      }
      class Alias {
        constructor(
          name: string,
          args: { functionName: SstInput<string>; functionVersion: SstInput<string>; name: SstInput<string> },
          opts?: AwsResourceOptions,
        );
        readonly arn: SstOutput<string>;
        readonly name: SstOutput<string>;
      }
      class ProvisionedConcurrencyConfig {
        constructor(
          name: string,
          args: { functionName: SstInput<string>; qualifier: SstInput<string>; provisionedConcurrentExecutions: SstInput<number> },
          opts?: AwsResourceOptions,
        );
      }
      class FunctionEventInvokeConfig {
        constructor(
          name: string,
          args: {
            functionName: SstInput<string>;
            qualifier?: SstInput<string>;
            maximumRetryAttempts?: SstInput<number>;
            maximumEventAgeInSeconds?: SstInput<number>;
          },
          opts?: AwsResourceOptions,
        );
      }
    }
    namespace ssm {
      function getParameterOutput(args: { name: SstInput<string> }): SstOutput<{ value: string }>;
    }
    namespace ec2 {
      interface SecurityGroupRule {
        protocol: string;
        fromPort: number;
        toPort: number;
        cidrBlocks?: SstInput<string[]>;
        securityGroups?: SstInput<SstInput<string>[]>;
      }
      class SecurityGroup {
        constructor(
          name: string,
          args: { vpcId: SstInput<string>; description?: string; ingress?: SecurityGroupRule[]; egress?: SecurityGroupRule[] },
          opts?: AwsResourceOptions,
        );
        readonly id: SstOutput<string>;
      }
      class LaunchTemplate {
        constructor(
          name: string,
          args: {
            imageId: SstInput<string>;
            instanceType: SstInput<string>;
            iamInstanceProfile: SstInput<{ arn: SstInput<string> }>;
            vpcSecurityGroupIds?: SstInput<SstInput<string>[]>;
            userData: SstInput<string>;
            blockDeviceMappings?: SstInput<
              { deviceName: string; ebs: { volumeSize: number; volumeType: string; encrypted: boolean } }[]
            >;
            metadataOptions?: SstInput<{ httpTokens: 'required' | 'optional' }>;
          },
          opts?: AwsResourceOptions,
        );
        readonly id: SstOutput<string>;
      }
    }
    namespace autoscaling {
      class Group {
        constructor(
          name: string,
          args: {
            minSize: SstInput<number>;
            maxSize: SstInput<number>;
            vpcZoneIdentifiers: SstInput<SstInput<string>[]>;
            launchTemplate: SstInput<{ id: SstInput<string>; version: string }>;
            protectFromScaleIn?: boolean;
            tags?: { key: string; value: string; propagateAtLaunch: boolean }[];
          },
          opts?: AwsResourceOptions,
        );
        readonly arn: SstOutput<string>;
      }
    }
    namespace ecs {
      class Cluster {
        constructor(name: string, args: { settings?: { name: 'containerInsights'; value: 'enabled' | 'disabled' }[] }, opts?: AwsResourceOptions);
        readonly name: SstOutput<string>;
        readonly arn: SstOutput<string>;
      }
      class CapacityProvider {
        constructor(
          name: string,
          args: {
            autoScalingGroupProvider: SstInput<{
              autoScalingGroupArn: SstInput<string>;
              managedTerminationProtection?: 'ENABLED' | 'DISABLED';
              managedScaling?: { status: 'ENABLED' | 'DISABLED'; targetCapacity?: number };
            }>;
          },
          opts?: AwsResourceOptions,
        );
        readonly name: SstOutput<string>;
      }
      class ClusterCapacityProviders {
        constructor(
          name: string,
          args: {
            clusterName: SstInput<string>;
            capacityProviders: SstInput<SstInput<string>[]>;
            defaultCapacityProviderStrategies?: SstInput<{ capacityProvider: SstInput<string>; weight: number; base?: number }[]>;
          },
          opts?: AwsResourceOptions,
        );
      }
      class TaskDefinition {
        constructor(
          name: string,
          args: {
            family: SstInput<string>;
            requiresCompatibilities: ('EC2' | 'FARGATE')[];
            networkMode: 'awsvpc' | 'bridge' | 'host';
            cpu?: SstInput<string>;
            memory?: SstInput<string>;
            executionRoleArn: SstInput<string>;
            taskRoleArn: SstInput<string>;
            /** JSON array of ECS container definitions (resourceRequirements GPU lives here). */
            containerDefinitions: SstInput<string>;
          },
          opts?: AwsResourceOptions,
        );
        readonly arn: SstOutput<string>;
      }
      class Service {
        constructor(
          name: string,
          args: {
            cluster: SstInput<string>;
            taskDefinition: SstInput<string>;
            desiredCount: SstInput<number>;
            capacityProviderStrategies: SstInput<{ capacityProvider: SstInput<string>; weight: number; base?: number }[]>;
            networkConfiguration: SstInput<{ subnets: SstInput<SstInput<string>[]>; securityGroups: SstInput<SstInput<string>[]> }>;
            loadBalancers: SstInput<{ targetGroupArn: SstInput<string>; containerName: string; containerPort: number }[]>;
            healthCheckGracePeriodSeconds?: number;
          },
          opts?: AwsResourceOptions,
        );
      }
    }
    namespace lb {
      class LoadBalancer {
        constructor(
          name: string,
          args: {
            internal: boolean;
            loadBalancerType: 'application';
            subnets: SstInput<SstInput<string>[]>;
            securityGroups: SstInput<SstInput<string>[]>;
            /** Seconds a connection may idle; must exceed the longest inference call. */
            idleTimeout?: number;
          },
          opts?: AwsResourceOptions,
        );
        readonly arn: SstOutput<string>;
        readonly dnsName: SstOutput<string>;
      }
      class TargetGroup {
        constructor(
          name: string,
          args: {
            vpcId: SstInput<string>;
            port: number;
            protocol: 'HTTP';
            targetType: 'ip' | 'instance';
            healthCheck?: { path: string; matcher: string; interval?: number };
            deregistrationDelay?: number;
          },
          opts?: AwsResourceOptions,
        );
        readonly arn: SstOutput<string>;
      }
      class Listener {
        constructor(
          name: string,
          args: {
            loadBalancerArn: SstInput<string>;
            port: number;
            protocol: 'HTTP';
            defaultActions: SstInput<{ type: 'forward'; targetGroupArn: SstInput<string> }[]>;
          },
          opts?: AwsResourceOptions,
        );
      }
    }
  }

  // ---------------------------------------------------------------- docker provider (@pulumi/docker v4, added in `providers`)
  namespace docker {
    class Image {
      constructor(
        name: string,
        args: {
          imageName: SstInput<string>;
          build: SstInput<{
            context: SstInput<string>;
            dockerfile?: SstInput<string>;
            /** Multi-stage target (`docker build --target`). */
            target?: SstInput<string>;
            platform?: SstInput<string>;
            args?: SstInput<Record<string, SstInput<string>>>;
          }>;
          registry?: SstInput<{ server: SstInput<string>; username: SstInput<string>; password: SstInput<string> }>;
        },
        opts?: AwsResourceOptions,
      );
      /** `repository@sha256:…`: changes on every new push, so dependants redeploy. */
      readonly repoDigest: SstOutput<string>;
    }
  }
}
