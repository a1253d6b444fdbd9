ALTER TABLE `webhook_endpoints` ADD `api_key_id` text;--> statement-breakpoint
ALTER TABLE `webhook_endpoints` ADD `failing_since` integer;--> statement-breakpoint
ALTER TABLE `webhook_endpoints` ADD `paused_until` integer;--> statement-breakpoint
CREATE INDEX `webhook_endpoints_api_key` ON `webhook_endpoints` (`api_key_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_due` ON `webhook_deliveries` (`endpoint_id`,`state`,`next_attempt_at`);