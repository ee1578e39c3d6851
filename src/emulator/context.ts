/**
 * The shared environment of one emulator and the per-request context the routes receive.
 * @module
 */
import type { Authentication } from "./auth";
import type { AccessEntry } from "./scopes";
import type { Registry } from "./state";
import type { BlobStorage } from "./storage";
import type { Instant } from "./time";
import type { TokenAuthority } from "./tokens";
import type { ProfileAnswers, RegistryProfile } from "./profiles/profile";
import type { EmulatorOptions, EmulatorUser, RequestLogEntry } from "./types";
import type { UploadSession } from "./uploads";

/** Options with their defaults applied. */
export interface ResolvedOptions {
  loginServer: string | undefined;
  users: Record<string, EmulatorUser>;
  anonymousPull: boolean;
  authRequired: boolean;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  validateAadToken: (token: string) => boolean | Promise<boolean>;
  cors: EmulatorOptions["cors"];
  /** How blob reads go to the storage origin: the `redirectBlobs` option's GET redirect, else the profile's. */
  blobRedirect: ProfileAnswers["blobRedirect"];
  defaultPageSize: number;
  /** The registry profile the routes answer by. */
  profile: RegistryProfile;
  /** Requests a second the profile's counted requests may reach; undefined: no limit. */
  rateLimit: number | undefined;
  onError: EmulatorOptions["onError"];
}

/** Everything one emulator instance shares across requests. */
export interface Environment {
  readonly options: ResolvedOptions;
  readonly registry: Registry;
  readonly uploads: Map<string, UploadSession>;
  readonly tokens: TokenAuthority;
  readonly storage: BlobStorage;
  /** Strictly increasing timestamps for createdTime/lastUpdateTime. */
  readonly now: () => Instant;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  /** The request log (`Emulator.requests`); the HTTP listener adds the requests it refuses itself. */
  readonly requests: RequestLogEntry[];
}

/** What a route handler receives. */
export interface Context {
  readonly env: Environment;
  readonly request: Request;
  readonly url: URL;
  /** Named captures of the route pattern, URL-decoded. */
  readonly params: Record<string, string>;
  /** The login server for this request: the configured one, or the Host it came to. */
  readonly service: string;
  readonly auth: Authentication;
}

/** What an operation needs before it runs. */
export type Access =
  | { kind: "public" }
  /** Any valid credential (GET /v2/): challenges carry realm and service only. */
  | { kind: "authenticated" }
  /** The required scopes; `optional` ones join the challenge but are checked by the handler (mount's source). */
  | { kind: "scopes"; required: AccessEntry[]; optional?: AccessEntry[] };

/** One method on one endpoint. */
export interface Operation {
  access(ctx: Context): Access;
  handle(ctx: Context): Promise<Response> | Response;
}

/** A path pattern (named groups become params) and its operations by HTTP method. */
export interface Endpoint {
  pattern: RegExp;
  methods: Partial<Record<string, Operation>>;
}

/** The access needed for actions on one repository, named by the `name` param. */
export function repositoryAccess(...actions: string[]): (ctx: Context) => Access {
  return (ctx) => ({ kind: "scopes", required: [{ type: "repository", name: ctx.params.name!, actions }] });
}

/** The access needed for the catalog endpoints. */
export function catalogAccess(): Access {
  return { kind: "scopes", required: [{ type: "registry", name: "catalog", actions: ["*"] }] };
}
