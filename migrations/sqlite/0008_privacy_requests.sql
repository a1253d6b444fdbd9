CREATE TABLE `privacy_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`email` text,
	`contact_id` text,
	`locale` text NOT NULL,
	`note` text,
	`status` text NOT NULL,
	`received_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`extended_at` integer,
	`extension_reason` text,
	`verification_sent_at` integer,
	`verified_at` integer,
	`fulfilled_at` integer,
	`fulfilment` text,
	`refused_at` integer,
	`refusal_reason` text,
	`closed_at` integer,
	`outcome` text,
	`created_by` text
);
--> statement-breakpoint
CREATE INDEX `privacy_requests_status_due` ON `privacy_requests` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `privacy_requests_contact` ON `privacy_requests` (`contact_id`);--> statement-breakpoint
CREATE INDEX `privacy_requests_received` ON `privacy_requests` (`received_at`);