export { detectPii } from "./pii/detect.js";
export type { DetectPiiOptions } from "./pii/detect.js";
export { maskPii, PiiVault } from "./pii/mask.js";
export type {
  MaskedSpan,
  MaskPiiOptions,
  MaskResult,
  MaskStrategy,
  RestoreOptions,
} from "./pii/mask.js";
export { PII_TYPES } from "./pii/types.js";
export type {
  PiiFinding,
  PiiType,
  Recognizer,
  RecognizerContext,
} from "./pii/types.js";
export * from "./pii/recognizers/index.js";
export {
  isSecurityError,
  SECURITY_ERROR_STATUS,
  SecurityError,
  SecurityErrorCode,
} from "./errors.js";
export type { SecurityIssue } from "./errors.js";
export {
  MANIFEST_FILE,
  SIGNATURE_FILE,
  isSafeModelPath,
  modelManifestIssues,
} from "./models/manifest.js";
export type {
  ModelManifest,
  ModelManifestFile,
  ModelSignature,
} from "./models/manifest.js";
export { createModelManifest, signModelManifest } from "./models/sign.js";
export type { CreateModelManifestOptions } from "./models/sign.js";
export { isSourceAllowed, verifyModel } from "./models/verify.js";
export type {
  ModelAuditLog,
  TrustedModelKey,
  VerifiedModel,
  VerifyModelOptions,
} from "./models/verify.js";
export type { VerifiedModelFile } from "./models/files.js";
export type { SqlStoreOptions } from "./storage/sql.js";
export { ApiKeyManager } from "./keys/api-key-manager.js";
export type { CreatedApiKey, RotatedApiKey } from "./keys/api-key-manager.js";
export type {
  ApiKeyManagerOptions,
  AuthenticateOptions,
  CreateApiKeyInput,
  RotateApiKeyOptions,
} from "./keys/options.js";
export {
  API_KEY_PREFIX,
  isWellFormedApiKey,
  parseApiKey,
} from "./keys/format.js";
export type { ParsedApiKey } from "./keys/format.js";
export { MIN_PEPPER_BYTES } from "./keys/hash.js";
export {
  hasScope,
  isValidGrantedScope,
  isValidRequiredScope,
  scopeMatches,
} from "./keys/scopes.js";
export { createMemoryApiKeyStore } from "./keys/memory-store.js";
export { createSqlApiKeyStore } from "./keys/sql-store.js";
export type {
  ApiKeyChanges,
  ApiKeyRecord,
  ApiKeyStore,
  StoredApiKey,
} from "./keys/types.js";
export { UsageStatistics } from "./usage/usage-statistics.js";
export type {
  UsageDay,
  UsageEvent,
  UsageQuery,
  UsageReport,
  UsageStatisticsOptions,
} from "./usage/usage-statistics.js";
export { createMemoryUsageStore } from "./usage/memory-store.js";
export { createSqlUsageStore } from "./usage/sql-store.js";
export type {
  UsageCounts,
  UsageFilter,
  UsageIncrement,
  UsageRow,
  UsageStore,
} from "./usage/types.js";
export { rateLimitHeaders } from "./rate-limit/headers.js";
export type { RateLimitHeaders } from "./rate-limit/headers.js";
export { RateLimiter } from "./rate-limit/limiter.js";
export type { RateLimiterOptions } from "./rate-limit/limiter.js";
export { MemoryRateLimitStore } from "./rate-limit/memory-store.js";
export type { MemoryRateLimitStoreOptions } from "./rate-limit/memory-store.js";
export { RedisRateLimitStore } from "./rate-limit/redis-store.js";
export type {
  RedisRateLimitClock,
  RedisRateLimitStoreOptions,
} from "./rate-limit/redis-store.js";
export { throwIfRateLimited } from "./rate-limit/result.js";
export type {
  RateLimitConsumeOptions,
  RateLimitOutcome,
  RateLimitRejection,
  RateLimitRequest,
  RateLimitResult,
  RateLimitRule,
  RateLimitScope,
  RateLimitStore,
  RateLimitStoreResult,
  RateLimitUnit,
  RateLimitWindow,
  RateLimitWindowState,
} from "./rate-limit/types.js";
export {
  DEFAULT_ENTITY_TYPES,
  detectPiiWithModel,
  loadNerRecognizer,
} from "./pii/model/index.js";
export type {
  DetectPiiWithModelOptions,
  LoadNerRecognizerOptions,
  NerAggregation,
  NerRecognizer,
} from "./pii/model/index.js";
export { AuditLog, openAuditLog, SUBJECT_ERASED_ACTION } from "./audit/log.js";
export type { EraseSubjectOptions } from "./audit/log.js";
export type { AuditLogOptions } from "./audit/options.js";
export { verifyAuditLog } from "./audit/verify.js";
export type { VerifyAuditLogOptions } from "./audit/verify.js";
export { openAuditStore } from "./audit/store.js";
export type { AuditStoreOptions } from "./audit/store.js";
export { openJsonlAuditStore } from "./audit/jsonl-store.js";
export type {
  JsonlAuditStoreOptions,
  JsonlAuditStoreSettings,
} from "./audit/jsonl-store.js";
export { openSqlAuditStore } from "./audit/sql-store.js";
export type { SqlAuditStoreSettings } from "./audit/sql-store.js";
export { canonicalJson, GENESIS_HASH, hashEntry } from "./audit/canonical.js";
export type { AuditRecord, PersonalState } from "./audit/read.js";
export type { Ed25519Key } from "./audit/signing.js";
export type {
  AuditCheckpoint,
  AuditEntry,
  AuditEntryInput,
  AuditOutcome,
  AuditProblem,
  AuditProblemKind,
  AuditQuery,
  AuditStore,
  AuditVerifyResult,
  EncryptedPersonalData,
  JsonValue,
  PersonalData,
  StoredCheckpointRecord,
  StoredEntryRecord,
  StoredSubjectKey,
  SubjectKeyStore,
} from "./audit/types.js";
export { AuditCliExit, runAuditCli } from "./audit/cli.js";
export type { AuditCliIo } from "./audit/cli.js";
export { scanThreats, scanThreatsAsync } from "./threats/scan.js";
export type {
  ScanThreatsAsyncOptions,
  ScanThreatsOptions,
} from "./threats/options.js";
export { maskThreats } from "./threats/mask.js";
export type {
  MaskedThreat,
  MaskThreatsOptions,
  MaskThreatsResult,
} from "./threats/mask.js";
export {
  DEFAULT_THREAT_THRESHOLDS,
  MAX_REPORTED_FINDINGS,
  THREAT_DETECTORS,
  THREAT_TYPES,
} from "./threats/types.js";
export type {
  ThreatClassifier,
  ThreatClassifierScores,
  ThreatClassifyOptions,
  ThreatDetectorName,
  ThreatFinding,
  ThreatRecommendation,
  ThreatScanResult,
  ThreatThresholds,
  ThreatType,
} from "./threats/types.js";
export {
  DEFAULT_BENIGN_LABELS,
  isBenignLabel,
  loadThreatClassifier,
} from "./threats/model/index.js";
export type {
  LoadThreatClassifierOptions,
  OnnxThreatClassifier,
} from "./threats/model/index.js";
