ALTER TABLE "signing_keys" ALTER COLUMN "state" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "signing_keys" DROP COLUMN "active";