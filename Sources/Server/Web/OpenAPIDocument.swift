// Generated from docs/openapi.json by scripts/update-openapi.sh; edit the JSON, not this file.

/// The OpenAPI 3.1 document `GET /openapi.json` serves: every route, parameter and answer of `runner serve`, field
/// by field (schemathesis checks the running server against it in OpenAPIConformanceTests).
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "runner serve",
            "version": "1",
            "description": "The original system's web API, drop-in (`/api/process_s3_video_workflow`), and a runs API with live events, over the runner's engine. Every answer is JSON (keys sorted, dates ISO 8601 to the millisecond) except the page, the metrics and the event stream. With `--tokens`, every route but `/`, `/healthz` and `/openapi.json` needs `Authorization: Bearer TOKEN`; a token acts only for its users. docs/serve.md tells the whole story.",
            "license": {
              "name": "MIT",
              "identifier": "MIT"
            }
          },
          "servers": [
            {
              "url": "http://127.0.0.1:8080",
              "description": "`runner serve`'s default address"
            }
          ],
          "security": [
            {
              "bearer": []
            }
          ],
          "paths": {
            "/": {
              "get": {
                "operationId": "page",
                "summary": "The page: runs with live progress, their clips and films.",
                "security": [],
                "responses": {
                  "200": {
                    "description": "The page (plain HTML and a little script).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  }
                }
              }
            },
            "/healthz": {
              "get": {
                "operationId": "health",
                "summary": "Whether the server is up.",
                "security": [],
                "responses": {
                  "200": {
                    "description": "Up.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Health"
                        }
                      }
                    }
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "security": [],
                "responses": {
                  "200": {
                    "description": "The OpenAPI 3.1 document.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  }
                }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics (text format 0.0.4); no user names or ids.",
                "responses": {
                  "200": {
                    "description": "The exposition.",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  }
                }
              }
            },
            "/api/process_s3_video_workflow": {
              "get": {
                "operationId": "workflowByQuery",
                "summary": "The original API by query string (the original app's `list_frames`).",
                "description": "`action=list_frames&userId=U` lists the user's frames (`reference-frames/{userId}/` in the original layout). `generate_videos` and `prepare_merge` work too, with only `userId` and `sessionId`.",
                "parameters": [
                  {
                    "name": "action",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "$ref": "#/components/schemas/Action"
                    }
                  },
                  {
                    "name": "userId",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "$ref": "#/components/schemas/UserId"
                    }
                  },
                  {
                    "name": "sessionId",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "$ref": "#/components/schemas/SessionId"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/WorkflowOK"
                  },
                  "202": {
                    "$ref": "#/components/responses/WorkflowAccepted"
                  },
                  "400": {
                    "$ref": "#/components/responses/WorkflowBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/WorkflowForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/WorkflowNotFound"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/WorkflowFailed"
                  }
                }
              },
              "post": {
                "operationId": "workflow",
                "summary": "The original API: `list_frames`, `generate_videos`, `prepare_merge`.",
                "description": "`generate_videos` starts a run of the template for `userId` and `sessionId` and waits for it, as the original did, up to the server's wait limit (`wait: false` answers at once with 202 and the run's id). `prepare_merge` merges `videoClipUrls` (clips in the user's clips folder, in order) on the server, or, with only a `sessionId`, answers the film that session's run published.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/WorkflowRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/WorkflowOK"
                  },
                  "202": {
                    "$ref": "#/components/responses/WorkflowAccepted"
                  },
                  "400": {
                    "$ref": "#/components/responses/WorkflowBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/WorkflowForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/WorkflowNotFound"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/WorkflowFailed"
                  },
                  "413": {
                    "description": "The body is larger than the server's limit (`RUNNER_SERVE_MAX_BODY`).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/WorkflowAnswer"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/v1/runs": {
              "post": {
                "operationId": "createRun",
                "summary": "Start a run of the template with these variables.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/CreateRun"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The run, stored and started (queued behind earlier runs of the same session).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Run"
                        }
                      }
                    },
                    "headers": {
                      "Location": {
                        "description": "The run's address.",
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "links": {
                      "GetRun": {
                        "operationId": "getRun",
                        "parameters": {
                          "id": "$response.body#/id"
                        }
                      },
                      "RunEvents": {
                        "operationId": "runEvents",
                        "parameters": {
                          "id": "$response.body#/id"
                        }
                      },
                      "CancelRun": {
                        "operationId": "cancelRun",
                        "parameters": {
                          "id": "$response.body#/id"
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "get": {
                "operationId": "listRuns",
                "summary": "Runs, newest first: of `user`, or of every user the token may act for.",
                "parameters": [
                  {
                    "name": "user",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "$ref": "#/components/schemas/UserId"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The runs (without their plan, summary and record).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RunList"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v1/runs/{id}": {
              "get": {
                "operationId": "getRun",
                "summary": "A run: status, progress, the plan, the summary and the run record.",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The run's id (`run_` and 20 hex digits).",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The run.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Run"
                        }
                      }
                    }
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  }
                }
              }
            },
            "/v1/runs/{id}/events": {
              "get": {
                "operationId": "runEvents",
                "summary": "The run's events as Server-Sent Events, from the first (or after `Last-Event-ID`) until it ends.",
                "description": "Each message is `id: N` (the event's place in the run, from 1), `event: KIND` and `data: JSON`, the JSON being exactly the line `runner apply --format json` prints for the event (`RunEvent`; docs/engine.md lists the fields of each kind). A finished run's stream replays its events and ends.",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The run's id (`run_` and 20 hex digits).",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "after",
                    "in": "query",
                    "required": false,
                    "description": "Start after event N (as `Last-Event-ID`).",
                    "schema": {
                      "type": "integer"
                    }
                  },
                  {
                    "name": "Last-Event-ID",
                    "in": "header",
                    "required": false,
                    "description": "Resume after this event.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The stream: one message per event.",
                    "content": {
                      "text/event-stream": {
                        "schema": {
                          "$ref": "#/components/schemas/EventMessage"
                        }
                      }
                    }
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  }
                }
              }
            },
            "/v1/runs/{id}/cancel": {
              "post": {
                "operationId": "cancelRun",
                "summary": "Stop a run: nothing new is submitted; tasks in flight stay recorded and a new run of the session resumes them.",
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The run's id (`run_` and 20 hex digits).",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The run had already ended.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RunSummaryView"
                        }
                      }
                    }
                  },
                  "202": {
                    "description": "The run is stopping.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RunSummaryView"
                        }
                      }
                    }
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  }
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "A token from the server's `--tokens` file (a line per token: the token, then the user ids it may act for, comma-separated, or `*`). Without `--tokens` the server listens on loopback only and needs none."
              }
            },
            "responses": {
              "WorkflowOK": {
                "description": "`list_frames`: the user's frames (`FramesAnswer`). `generate_videos` and `prepare_merge`: the run ended and made its clips (and film), `WorkflowAnswer` with `success: true`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "oneOf": [
                        {
                          "$ref": "#/components/schemas/FramesAnswer"
                        },
                        {
                          "$ref": "#/components/schemas/WorkflowAnswer"
                        }
                      ]
                    }
                  }
                }
              },
              "WorkflowAccepted": {
                "description": "`generate_videos` with `wait: false`, or a run still going when the wait limit passed (`RUNNER_SERVE_WAIT`): `data.runId`, `data.run` and `data.events` say where to follow it.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/WorkflowAnswer"
                    }
                  }
                }
              },
              "WorkflowBadRequest": {
                "description": "A field is missing or wrong (`error` names it and the fix): an unknown `action`, a `userId` that is not a plain name, a `sessionId`, `frameAspectRatio` or `batchSize` the template refuses, a body that is not JSON.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/WorkflowAnswer"
                    }
                  }
                }
              },
              "WorkflowForbidden": {
                "description": "The token may not act for `userId`, or a clip URL lies outside the user's clips folder.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/WorkflowAnswer"
                    }
                  }
                }
              },
              "WorkflowNotFound": {
                "description": "`prepare_merge` with a `sessionId` the user has no run of.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/WorkflowAnswer"
                    }
                  }
                }
              },
              "WorkflowFailed": {
                "description": "The run failed or was cancelled (`error` says why; `data` says what it made), or storage failed.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/WorkflowAnswer"
                    }
                  }
                }
              },
              "Error": {
                "description": "The problem, as a sentence naming the thing and the fix.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "NotFound": {
                "description": "No such run, or a run of a user the token may not act for.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "Unauthorized": {
                "description": "No token, or not a known one. Nothing else is said.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "headers": {
                  "WWW-Authenticate": {
                    "schema": {
                      "type": "string",
                      "const": "Bearer"
                    }
                  }
                }
              },
              "TooManyRequests": {
                "description": "Over the server's request rate for this client (`RUNNER_SERVE_RATE`).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "headers": {
                  "Retry-After": {
                    "description": "Seconds to wait.",
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              }
            },
            "schemas": {
              "Action": {
                "type": "string",
                "enum": [
                  "list_frames",
                  "generate_videos",
                  "prepare_merge"
                ]
              },
              "UserId": {
                "type": "string",
                "pattern": "^[A-Za-z0-9_@-][A-Za-z0-9_.@-]{0,63}$",
                "maxLength": 64,
                "description": "A plain name (letters, digits, `-`, `_`, `.`, `@`; not starting with `.`): one path segment of the user's S3 keys, so it reaches only the user's own prefix.",
                "examples": [
                  "user123"
                ]
              },
              "SessionId": {
                "type": "string",
                "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
                "description": "The session: the film's name (`final_video_{sessionId}.mp4`). A rerun of a session pays for nothing twice.",
                "examples": [
                  "launch-v2"
                ]
              },
              "RunStatus": {
                "type": "string",
                "enum": [
                  "queued",
                  "running",
                  "succeeded",
                  "failed",
                  "cancelled"
                ],
                "description": "`queued` and `running` runs are resumed by a restarted server; the others are final."
              },
              "Health": {
                "type": "object",
                "required": [
                  "status"
                ],
                "additionalProperties": false,
                "properties": {
                  "status": {
                    "const": "ok"
                  }
                }
              },
              "Error": {
                "type": "object",
                "required": [
                  "error"
                ],
                "additionalProperties": false,
                "properties": {
                  "error": {
                    "type": "string"
                  }
                }
              },
              "WorkflowRequest": {
                "type": "object",
                "required": [
                  "action"
                ],
                "properties": {
                  "action": {
                    "$ref": "#/components/schemas/Action"
                  },
                  "userId": {
                    "$ref": "#/components/schemas/UserId"
                  },
                  "sessionId": {
                    "$ref": "#/components/schemas/SessionId"
                  },
                  "frameAspectRatio": {
                    "type": "string",
                    "pattern": "^[0-9]+:[0-9]+$",
                    "description": "An aspect (`16:9`, `9:16`, `1:1`, `4:3`, `3:4`, `21:9`) or a ratio of the template's model (`1280:720`).",
                    "examples": [
                      "16:9"
                    ]
                  },
                  "prompt": {
                    "type": "string",
                    "maxLength": 1000,
                    "description": "Fills the template's `vars.prompt`."
                  },
                  "batchSize": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "Clips in flight for this run, within the template's and the account's limit."
                  },
                  "wait": {
                    "type": "boolean",
                    "default": true,
                    "description": "`generate_videos`: false answers at once (202) with the run's id."
                  },
                  "videoClipUrls": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "maxItems": 500,
                    "description": "`prepare_merge`: the clips to merge, in order (as `generate_videos` answered them)."
                  }
                }
              },
              "FramesAnswer": {
                "type": "object",
                "required": [
                  "success",
                  "totalFrames",
                  "frames"
                ],
                "additionalProperties": false,
                "properties": {
                  "success": {
                    "const": true
                  },
                  "totalFrames": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "frames": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Frame"
                    }
                  }
                }
              },
              "Frame": {
                "type": "object",
                "required": [
                  "key",
                  "name",
                  "size"
                ],
                "additionalProperties": false,
                "properties": {
                  "key": {
                    "type": "string",
                    "description": "The object's key (`reference-frames/alice/frame_1.jpg`)."
                  },
                  "name": {
                    "type": "string",
                    "description": "The name under the user's folder."
                  },
                  "size": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Bytes."
                  },
                  "lastModified": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "url": {
                    "type": "string",
                    "description": "A link to the image, valid for a day."
                  }
                }
              },
              "WorkflowAnswer": {
                "type": "object",
                "required": [
                  "success"
                ],
                "additionalProperties": false,
                "description": "`success`, with `data` (what the run made) and, when it failed, `error`.",
                "properties": {
                  "success": {
                    "type": "boolean"
                  },
                  "error": {
                    "type": "string"
                  },
                  "data": {
                    "$ref": "#/components/schemas/WorkflowData"
                  }
                }
              },
              "WorkflowData": {
                "type": "object",
                "required": [
                  "sessionId"
                ],
                "additionalProperties": false,
                "properties": {
                  "sessionId": {
                    "type": "string"
                  },
                  "runId": {
                    "type": "string"
                  },
                  "status": {
                    "$ref": "#/components/schemas/RunStatus"
                  },
                  "totalFrames": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Frames the run's generate stages take."
                  },
                  "completedCount": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Clips made (or found made by an earlier run)."
                  },
                  "failedCount": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "generatedVideoUrls": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "Links to the clips, in film order, valid for a day."
                  },
                  "mergedVideoUrl": {
                    "type": "string",
                    "description": "A link to the film (`prepare_merge`, or a run whose template publishes one)."
                  },
                  "run": {
                    "type": "string",
                    "description": "The run's address (`/v1/runs/{id}`)."
                  },
                  "events": {
                    "type": "string",
                    "description": "Its event stream (`/v1/runs/{id}/events`)."
                  }
                }
              },
              "CreateRun": {
                "type": "object",
                "required": [
                  "user"
                ],
                "properties": {
                  "user": {
                    "$ref": "#/components/schemas/UserId"
                  },
                  "session": {
                    "$ref": "#/components/schemas/SessionId"
                  },
                  "prompt": {
                    "type": "string",
                    "maxLength": 1000
                  },
                  "ratio": {
                    "type": "string",
                    "pattern": "^[0-9]+:[0-9]+$",
                    "examples": [
                      "1280:720"
                    ],
                    "description": "An aspect (`16:9`) or a ratio of the template's model (`1280:720`)."
                  },
                  "concurrency": {
                    "type": "integer",
                    "minimum": 1
                  }
                }
              },
              "RunList": {
                "type": "object",
                "required": [
                  "runs"
                ],
                "additionalProperties": false,
                "properties": {
                  "runs": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/RunSummaryView"
                    }
                  }
                }
              },
              "StageCounts": {
                "type": "object",
                "required": [
                  "total",
                  "cached",
                  "succeeded",
                  "failed",
                  "finished"
                ],
                "additionalProperties": false,
                "properties": {
                  "total": {
                    "type": "integer"
                  },
                  "cached": {
                    "type": "integer"
                  },
                  "succeeded": {
                    "type": "integer"
                  },
                  "failed": {
                    "type": "integer"
                  },
                  "finished": {
                    "type": "boolean"
                  }
                }
              },
              "Clip": {
                "type": "object",
                "required": [
                  "item",
                  "location"
                ],
                "additionalProperties": false,
                "properties": {
                  "item": {
                    "type": "string",
                    "description": "The frame's name."
                  },
                  "location": {
                    "type": "string",
                    "description": "Where the clip is (`s3://...` or a path)."
                  },
                  "url": {
                    "type": "string",
                    "description": "A signed link to the clip (detailed run views only: `GET /v1/runs/{id}` and `POST /v1/runs`); absent when it cannot be signed and in lists of runs."
                  }
                }
              },
              "Film": {
                "type": "object",
                "required": [
                  "location"
                ],
                "additionalProperties": false,
                "properties": {
                  "location": {
                    "type": "string"
                  },
                  "link": {
                    "type": "string"
                  },
                  "expires": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "Progress": {
                "type": "object",
                "required": [
                  "totalFrames",
                  "completedCount",
                  "failedCount",
                  "paidTasks",
                  "stages",
                  "clips"
                ],
                "additionalProperties": false,
                "properties": {
                  "totalFrames": {
                    "type": "integer"
                  },
                  "completedCount": {
                    "type": "integer"
                  },
                  "failedCount": {
                    "type": "integer"
                  },
                  "paidTasks": {
                    "type": "integer",
                    "description": "Paid tasks this run submitted (resumed ones are not new payments)."
                  },
                  "stages": {
                    "type": "object",
                    "additionalProperties": {
                      "$ref": "#/components/schemas/StageCounts"
                    }
                  },
                  "clips": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Clip"
                    }
                  },
                  "film": {
                    "$ref": "#/components/schemas/Film"
                  }
                }
              },
              "RunLinks": {
                "type": "object",
                "required": [
                  "run",
                  "events",
                  "cancel"
                ],
                "additionalProperties": false,
                "properties": {
                  "run": {
                    "type": "string"
                  },
                  "events": {
                    "type": "string"
                  },
                  "cancel": {
                    "type": "string"
                  }
                }
              },
              "RunBase": {
                "type": "object",
                "required": [
                  "id",
                  "user",
                  "session",
                  "status",
                  "created",
                  "updated",
                  "progress",
                  "events",
                  "links"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "description": "`run_` and 20 hex digits."
                  },
                  "user": {
                    "type": "string"
                  },
                  "session": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "ratio": {
                    "type": "string"
                  },
                  "concurrency": {
                    "type": "integer"
                  },
                  "status": {
                    "$ref": "#/components/schemas/RunStatus"
                  },
                  "created": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "updated": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "error": {
                    "type": "string",
                    "description": "Why it failed or was cancelled."
                  },
                  "progress": {
                    "$ref": "#/components/schemas/Progress"
                  },
                  "events": {
                    "type": "integer",
                    "description": "How many events it has."
                  },
                  "links": {
                    "$ref": "#/components/schemas/RunLinks"
                  }
                }
              },
              "RunSummaryView": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/RunBase"
                  }
                ],
                "unevaluatedProperties": false,
                "description": "A run as lists show it: without its plan, summary and record."
              },
              "Run": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/RunBase"
                  }
                ],
                "unevaluatedProperties": false,
                "properties": {
                  "plan": {
                    "type": "object",
                    "description": "The plan the run started with (`runner plan --format json`)."
                  },
                  "summary": {
                    "type": "object",
                    "description": "The run's summary (its `runFinished` event's)."
                  },
                  "record": {
                    "type": "object",
                    "description": "The run record (docs/run-record.schema.json), when the template's publish stage writes one."
                  }
                }
              },
              "EventMessage": {
                "type": "object",
                "required": [
                  "id",
                  "event",
                  "data"
                ],
                "additionalProperties": false,
                "description": "One Server-Sent Events message of a run's stream.",
                "properties": {
                  "id": {
                    "type": "string",
                    "pattern": "^[1-9][0-9]*$",
                    "description": "The event's place in the run, from 1."
                  },
                  "event": {
                    "$ref": "#/components/schemas/RunEventKind"
                  },
                  "data": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {
                      "$ref": "#/components/schemas/RunEvent"
                    },
                    "description": "The event's JSON, as `runner apply --format json` prints it."
                  }
                }
              },
              "RunEventKind": {
                "type": "string",
                "enum": [
                  "runStarted",
                  "stageStarted",
                  "itemStarted",
                  "itemSubmitted",
                  "itemResumed",
                  "itemStatus",
                  "itemSucceeded",
                  "itemFailed",
                  "itemStopped",
                  "stageFinished",
                  "stageNotStarted",
                  "published",
                  "warning",
                  "runFinished"
                ]
              },
              "RunEvent": {
                "type": "object",
                "required": [
                  "time",
                  "kind"
                ],
                "description": "One event of the stream's `data:` (as `runner apply --format json` prints it): `time`, `kind` and the fields of its kind.",
                "properties": {
                  "time": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "kind": {
                    "$ref": "#/components/schemas/RunEventKind"
                  },
                  "stage": {
                    "type": "string"
                  },
                  "item": {
                    "type": "string"
                  }
                }
              }
            }
          }
        }
        """#
}
