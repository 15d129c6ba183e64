/**
 * @nestjs/throttler is CommonJS and requires @nestjs/common, which is ESM only. Jest evaluates a
 * CommonJS module while linking the ESM graph that imports it, so that require() would meet
 * @nestjs/common half-loaded ("Cannot require() ES Module ... in a cycle"). Loading Nest first,
 * before each test file, avoids it; Node itself loads the app without this.
 */
import '@nestjs/common';
import '@nestjs/core';
