CREATE TABLE "folds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"capacity" integer NOT NULL,
	"policy" text DEFAULT 'REJECT' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fold_id" uuid,
	"parent_id" uuid,
	"summary_level" integer,
	"embedding" vector NOT NULL,
	"embedding_model" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_accessed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "memory_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memories" ADD CONSTRAINT "memories_fold_id_folds_id_fk" FOREIGN KEY ("fold_id") REFERENCES "public"."folds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memories" ADD CONSTRAINT "memories_parent_id_memories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."memories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "folds_created_by_idx" ON "folds" USING btree ("created_by","created_at");--> statement-breakpoint
CREATE INDEX "memories_created_by_idx" ON "memories" USING btree ("created_by","created_at","id");--> statement-breakpoint
CREATE INDEX "memories_updated_idx" ON "memories" USING btree ("created_by","updated_at","id");--> statement-breakpoint
CREATE INDEX "memories_fold_idx" ON "memories" USING btree ("fold_id","created_at");--> statement-breakpoint
CREATE INDEX "memories_parent_idx" ON "memories" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "memories_metadata_idx" ON "memories" USING gin ("metadata");--> statement-breakpoint
CREATE INDEX "memories_expires_idx" ON "memories" USING btree ("expires_at") WHERE "memories"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "memories_fold_summary_idx" ON "memories" USING btree ("fold_id","summary_level") WHERE "memories"."summary_level" IS NOT NULL;