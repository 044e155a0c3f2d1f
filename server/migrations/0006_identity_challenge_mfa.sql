-- A sign-in challenge remembers whether the second factor was already verified in this sign-in, so a user with TOTP
-- proves it before a forced password change (someone holding only the password cannot change it).
alter table auth_challenges add column mfa_verified boolean not null default false;
