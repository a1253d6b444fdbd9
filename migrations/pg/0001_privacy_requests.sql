CREATE TABLE "privacy_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"email" text,
	"contact_id" text,
	"locale" text NOT NULL,
	"note" text,
	"status" text NOT NULL,
	"received_at" bigint NOT NULL,
	"due_at" bigint NOT NULL,
	"extended_at" bigint,
	"extension_reason" text,
	"verification_sent_at" bigint,
	"verified_at" bigint,
	"fulfilled_at" bigint,
	"fulfilment" text,
	"refused_at" bigint,
	"refusal_reason" text,
	"closed_at" bigint,
	"outcome" text,
	"created_by" text
);
--> statement-breakpoint
CREATE INDEX "privacy_requests_status_due" ON "privacy_requests" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "privacy_requests_contact" ON "privacy_requests" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "privacy_requests_received" ON "privacy_requests" USING btree ("received_at");