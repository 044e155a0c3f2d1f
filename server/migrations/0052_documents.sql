-- Signed documents (issue 5, exports): the platform's SM2 signing key(s).
-- Platform data, not tenant data: no RLS. The private key is stored encrypted with the SM4 field cipher (FieldCipher).
-- One key is active (retired_at is null); retired keys stay so that documents signed with them still verify.
create table document_signing_keys (
  id uuid primary key default gen_random_uuid(),
  algorithm text not null default 'SM2' check (algorithm = 'SM2'),
  distinguishing_id text not null default '1234567812345678',
  public_key text not null unique check (public_key ~ '^04[0-9a-f]{128}$'),
  -- SM3 of the 65-byte uncompressed public key, hex.
  fingerprint text not null unique check (fingerprint ~ '^[0-9a-f]{64}$'),
  private_key_enc text not null check (private_key_enc like 'sm4:v1:%'),
  signer_name text not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);
create unique index document_signing_keys_one_active on document_signing_keys ((true)) where retired_at is null;
