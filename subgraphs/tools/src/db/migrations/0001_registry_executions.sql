CREATE TABLE "executions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tool_id" uuid,
	"tool_name" text NOT NULL,
	"tool_version" text NOT NULL,
	"user_id" text NOT NULL,
	"idempotency_key" text,
	"arguments" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"retryable" boolean NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"timeout_ms" integer NOT NULL,
	"worker" text,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"output" jsonb,
	"output_truncated" boolean DEFAULT false NOT NULL,
	"error_code" text,
	"error_message" text,
	"logs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"logs_truncated" boolean DEFAULT false NOT NULL,
	"progress" jsonb,
	"cpu_ms" integer,
	"memory_bytes" real,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mcp_servers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "mcp_servers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "output_schema" jsonb;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "annotations" jsonb DEFAULT '{"readOnlyHint":false,"destructiveHint":false,"idempotentHint":false,"openWorldHint":false}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "version" text DEFAULT '1.0.0' NOT NULL;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "kind" text DEFAULT 'client' NOT NULL;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "config" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "mcp_server_id" uuid;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "timeout_ms" integer;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "executions_user_idempotency_key" ON "executions" USING btree ("user_id","idempotency_key") WHERE "executions"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "executions_queued" ON "executions" USING btree ("created_at") WHERE "executions"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "executions_running_lease" ON "executions" USING btree ("lease_expires_at") WHERE "executions"."status" = 'running';--> statement-breakpoint
CREATE INDEX "executions_user_created" ON "executions" USING btree ("user_id","created_at");--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_mcp_server_id_mcp_servers_id_fk" FOREIGN KEY ("mcp_server_id") REFERENCES "public"."mcp_servers"("id") ON DELETE cascade ON UPDATE no action;