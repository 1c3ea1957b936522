CREATE TYPE "public"."share_role" AS ENUM('EDITOR', 'VIEWER');--> statement-breakpoint
CREATE TYPE "public"."shared_kind" AS ENUM('DOCUMENT', 'VISUALIZATION');--> statement-breakpoint
CREATE TABLE "document_updates" (
	"document_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"update" "bytea" NOT NULL,
	"author_id" text NOT NULL,
	"client_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_updates_document_id_seq_pk" PRIMARY KEY("document_id","seq")
);
--> statement-breakpoint
CREATE TABLE "document_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"state" "bytea" NOT NULL,
	"name" text,
	"author_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shares" (
	"kind" "shared_kind" NOT NULL,
	"resource_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" "share_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shares_kind_resource_id_user_id_pk" PRIMARY KEY("kind","resource_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Documents written before this migration hold plain text only: seq -1 marks them for
-- conversion into a first Yjs update when the subgraph starts (src/db/legacy.ts).
UPDATE "documents" SET "seq" = -1;--> statement-breakpoint
ALTER TABLE "document_updates" ADD CONSTRAINT "document_updates_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_versions_document_id_seq_idx" ON "document_versions" USING btree ("document_id","seq");--> statement-breakpoint
CREATE INDEX "shares_user_id_kind_idx" ON "shares" USING btree ("user_id","kind");