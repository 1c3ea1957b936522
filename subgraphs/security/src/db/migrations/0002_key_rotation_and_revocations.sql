CREATE TABLE "revocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"issued_before" timestamp with time zone,
	"starts_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "signing_keys" ADD COLUMN "state" text DEFAULT 'current' NOT NULL;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD COLUMN "activated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD COLUMN "accepted_until" timestamp with time zone;--> statement-breakpoint
-- Keys of the one-key store: the newest active one signs on; any other was already unused.
UPDATE "signing_keys" SET "activated_at" = "created_at";--> statement-breakpoint
UPDATE "signing_keys" SET "state" = 'retired', "retired_at" = now(), "accepted_until" = now()
  WHERE "kid" <> (SELECT "kid" FROM "signing_keys" WHERE "active" ORDER BY "created_at" DESC LIMIT 1);--> statement-breakpoint
CREATE INDEX "revocations_created_at_idx" ON "revocations" USING btree ("created_at");